package dev.tta.models.providers.local;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.tta.models.providers.openai.OpenAiJson;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a JSON Schema into a llama.cpp GBNF grammar that lets a model generate only JSON the schema
 * allows, in Java: llama.cpp's own converter throws a C++ exception on a bad schema that nothing
 * catches, which ends the whole process. A schema this class cannot honour is refused with an
 * {@link IllegalArgumentException} whose message names the place in the schema, under {@value
 * #FIELD}.
 *
 * <p>Supported: {@code type} (one or an array of {@code string}, {@code number}, {@code integer},
 * {@code boolean}, {@code null}, {@code object}, {@code array}); {@code properties}, {@code
 * required}, {@code additionalProperties}; {@code items}, {@code prefixItems}, {@code minItems},
 * {@code maxItems}; {@code minLength}, {@code maxLength}; {@code enum}, {@code const}; {@code
 * anyOf}, {@code oneOf}; {@code allOf} with one schema; {@code $ref} to any JSON pointer inside the
 * schema ({@code #/$defs/Name}, {@code #/definitions/Name}, {@code #}), recursion included.
 *
 * <p>The grammar may allow less than the schema does, never more, except for the keywords it
 * accepts without enforcing them: {@code format}, {@code minimum}, {@code maximum}, {@code
 * exclusiveMinimum}, {@code exclusiveMaximum}, {@code multipleOf} (a model's numbers and formatted
 * strings are not checked against them), and {@code oneOf}, which is read as {@code anyOf} (an
 * output matching two alternatives is not excluded). Narrower than the schema:
 *
 * <ul>
 *   <li>properties come in the order of {@code properties}, each optional one may be left out;
 *   <li>an object with {@code properties} gets further ones only when {@code additionalProperties}
 *       is {@code true} or a schema, and their names are written without escapes, so that none
 *       spells a listed name (which would be a duplicate key);
 *   <li>{@code type} may be left out: {@code properties} and the like then mean an object, {@code
 *       items} and the like an array, {@code minLength}/{@code maxLength} a string;
 *   <li>{@code enum} and {@code const} values are written exactly as their compact JSON text, and
 *       only those that match {@code type}; other keywords beside them are not applied;
 *   <li>{@code maxLength} and {@code maxItems} above {@value #REPEAT_LIMIT} count as {@value
 *       #REPEAT_LIMIT}, since llama.cpp unrolls a bounded repetition into one rule per step.
 * </ul>
 *
 * <p>Ignored as annotations: {@code title}, {@code description}, {@code default}, {@code examples},
 * {@code $schema}, {@code $id}, {@code $comment}, {@code strict}, {@code deprecated}, {@code
 * readOnly}, {@code writeOnly}, {@code discriminator} (OpenAPI's, which pydantic writes beside
 * tagged unions whose alternatives carry their tags as {@code const}), {@code nullable} (not JSON
 * Schema), and {@code $defs}/{@code definitions} (read only through {@code $ref}). Every other
 * keyword is refused, {@code pattern}, {@code patternProperties}, {@code not} and {@code if}/{@code
 * then}/{@code else} among them, as are schemas that contradict themselves or allow no value at all
 * where one is needed.
 */
final class JsonSchemaGrammar {

  /** Where a request carries its schema, for the messages of refusals. */
  static final String FIELD = "response_format.json_schema.schema";

  /** The largest repetition count written into a grammar. */
  static final int REPEAT_LIMIT = 1000;

  private static final ObjectReader READER =
      OpenAiJson.mapper()
          .reader()
          .with(
              DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
              // a number in an enum is written back as it was given, even beyond a double's range
              DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // and as it was written: 2.0 stays 2.0, not 2
          .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "title",
          "description",
          "default",
          "examples",
          "$schema",
          "$id",
          "$comment",
          "strict",
          "deprecated",
          "readOnly",
          "writeOnly",
          "discriminator",
          "nullable",
          "$defs",
          "definitions");

  private static final Set<String> UNENFORCED =
      Set.of("format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");

  private static final List<String> OBJECT_KEYWORDS =
      List.of("properties", "required", "additionalProperties");
  private static final List<String> ARRAY_KEYWORDS =
      List.of("items", "prefixItems", "minItems", "maxItems");
  private static final List<String> STRING_KEYWORDS = List.of("minLength", "maxLength");
  private static final List<String> VALUE_KEYWORDS = List.of("enum", "const");
  private static final List<String> COMBINERS = List.of("$ref", "anyOf", "oneOf", "allOf");

  private static final Set<String> SUPPORTED = supported();

  private static final List<String> TYPES =
      List.of("string", "number", "integer", "boolean", "null", "object", "array");

  private static final String KEY_CHAR = "[^\"\\\\\\x7F\\x00-\\x1F]";

  /** The rules any grammar may use, each with the rules it uses in turn. */
  private static final Map<String, String> PRIMITIVES = new LinkedHashMap<>();

  private static final Map<String, List<String>> USES = new HashMap<>();

  static {
    primitive("space", "| \" \" | \"\\n\" [ \\t]{0,20}");
    primitive("char", KEY_CHAR + " | [\\\\] ([\"\\\\bfnrt] | \"u\" [0-9a-fA-F]{4})");
    primitive("string", "\"\\\"\" char* \"\\\"\" space", "char", "space");
    primitive("integral-part", "[0] | [1-9] [0-9]{0,15}");
    primitive("decimal-part", "[0-9]{1,16}");
    primitive(
        "number",
        "\"-\"? integral-part ( \".\" decimal-part )? ( [eE] [-+]? integral-part )? space",
        "integral-part",
        "decimal-part",
        "space");
    primitive("integer", "\"-\"? integral-part space", "integral-part", "space");
    primitive("boolean", "( \"true\" | \"false\" ) space", "space");
    primitive("null", "\"null\" space", "space");
    primitive(
        "object",
        "\"{\" space ( string \":\" space value ( \",\" space string \":\" space value )* )?"
            + " \"}\" space",
        "string",
        "value",
        "space");
    primitive(
        "array", "\"[\" space ( value ( \",\" space value )* )? \"]\" space", "value", "space");
    primitive(
        "value",
        "object | array | string | number | boolean | null",
        "object",
        "array",
        "string",
        "number",
        "boolean",
        "null");
  }

  /** The schema {@code true}: an object whose further properties are not limited. */
  private static final JsonNode ANYTHING = OpenAiJson.mapper().getNodeFactory().booleanNode(true);

  private static final Pattern RULE_NAME = Pattern.compile("[a-zA-Z0-9-]+");
  private static final Pattern NOT_IN_RULE_NAME = Pattern.compile("[^a-zA-Z0-9-]");

  private JsonSchemaGrammar() {}

  private static void primitive(String name, String body, String... uses) {
    PRIMITIVES.put(name, body);
    USES.put(name, List.of(uses));
  }

  private static Set<String> supported() {
    Set<String> all = new HashSet<>(ANNOTATIONS);
    all.addAll(UNENFORCED);
    all.add("type");
    all.addAll(OBJECT_KEYWORDS);
    all.addAll(ARRAY_KEYWORDS);
    all.addAll(STRING_KEYWORDS);
    all.addAll(VALUE_KEYWORDS);
    all.addAll(COMBINERS);
    return Set.copyOf(all);
  }

  /** Any JSON object, with any values: what OpenAI's {@code json_object} format asks for. */
  static String anyObject() {
    Converter converter = new Converter(null);
    converter.rules.put("root", converter.use("object"));
    return converter.render();
  }

  /**
   * The grammar of the JSON values {@code schemaJson} allows.
   *
   * @throws IllegalArgumentException when {@code schemaJson} is not JSON, or is a schema this class
   *     does not support or that allows no value
   */
  static String forSchema(String schemaJson) {
    return new Converter(parse(schemaJson)).convert();
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      throw refusal(FIELD, "is empty");
    }
    try {
      return READER.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new IllegalArgumentException(
          FIELD + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  private static IllegalArgumentException refusal(String path, String problem) {
    return new IllegalArgumentException(path + ": " + problem);
  }

  private static String quoted(String keyword) {
    return "\"" + keyword + "\"";
  }

  /**
   * {@code text} as a GBNF literal: quotes and backslashes escaped, controls and non-ASCII as hex.
   */
  static String literal(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c >= 0x7F ? hex(c) : Character.toString(c));
              }
            });
    return out.append('"').toString();
  }

  /** One code point as a GBNF escape, which literals and character classes read alike. */
  private static String hex(int c) {
    if (c < 0x80) {
      return String.format("\\x%02X", c);
    }
    return c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c);
  }

  private static String json(JsonNode value) {
    try {
      return OpenAiJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON value cannot be written back", e);
    }
  }

  /** {@code atom} repeated {@code min} to {@code max} times, {@code max} -1 for no limit. */
  private static String repeat(String atom, int min, int max) {
    if (max < 0) {
      return switch (min) {
        case 0 -> atom + "*";
        case 1 -> atom + "+";
        default -> atom + "{" + min + ",}";
      };
    }
    if (min == max) {
      return switch (min) {
        case 0 -> "";
        case 1 -> atom;
        default -> atom + "{" + min + "}";
      };
    }
    return min == 0 && max == 1 ? atom + "?" : atom + "{" + min + "," + max + "}";
  }

  /** The parts that are not empty, separated by a space. */
  private static String sequence(String... parts) {
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (!part.isEmpty()) {
        if (!out.isEmpty()) {
          out.append(' ');
        }
        out.append(part);
      }
    }
    return out.toString();
  }

  private static String alternatives(List<String> choices) {
    return choices.size() == 1 ? choices.get(0) : "( " + String.join(" | ", choices) + " )";
  }

  /** One conversion: the rules made so far, and the references being followed. */
  private static final class Converter {
    private final JsonNode document;
    private final Map<String, String> rules = new TreeMap<>();

    /** The rule of each {@code $ref} followed, by the reference as written. */
    private final Map<String, String> references = new HashMap<>();

    /**
     * For each rule of a reference, the rules of references it can begin with, before the output
     * has got a single character further: a cycle among them would be left recursion, which
     * llama.cpp refuses.
     */
    private final Map<String, Set<String>> leading = new HashMap<>();

    private final Map<String, String> pathOfRule = new HashMap<>();

    /** The rule of the reference whose schema is being read, until an object or array opens. */
    private String owner;

    Converter(JsonNode document) {
      this.document = document;
    }

    String convert() {
      references.put("#", "root");
      rules.put("root", "");
      pathOfRule.put("root", FIELD);
      owner = "root";
      rules.put("root", visit(document, FIELD, "root"));
      refuseLeftRecursion();
      return render();
    }

    String render() {
      StringBuilder out = new StringBuilder();
      out.append("root ::= ").append(rules.get("root")).append('\n');
      rules.forEach(
          (name, body) -> {
            if (!name.equals("root")) {
              out.append(name).append(" ::= ").append(body).append('\n');
            }
          });
      return out.toString();
    }

    String use(String primitive) {
      if (!rules.containsKey(primitive)) {
        rules.put(primitive, PRIMITIVES.get(primitive));
        USES.get(primitive).forEach(this::use);
      }
      return primitive;
    }

    /** A rule for {@code body}, or the rule {@code body} names already. */
    private String rule(String hint, String body) {
      if (RULE_NAME.matcher(body).matches()) {
        return body;
      }
      if (body.equals(rules.get(hint))) {
        return hint;
      }
      String name = reserve(hint);
      rules.put(name, body);
      return name;
    }

    private String reserve(String hint) {
      String name = hint;
      for (int n = 2; rules.containsKey(name); n++) {
        name = hint + "-" + n;
      }
      rules.put(name, "");
      return name;
    }

    private String visit(JsonNode schema, String path, String name) {
      if (schema.isBoolean()) {
        if (schema.booleanValue()) {
          return use("value");
        }
        throw refusal(path, "the schema false allows no value");
      }
      if (!schema.isObject()) {
        throw refusal(path, "a schema must be a JSON object or a boolean");
      }
      for (Iterator<String> keywords = schema.fieldNames(); keywords.hasNext(); ) {
        String keyword = keywords.next();
        if (!SUPPORTED.contains(keyword)) {
          throw refusal(path, quoted(keyword) + " is not supported");
        }
      }
      List<String> combiners = present(schema, COMBINERS);
      if (!combiners.isEmpty()) {
        String combiner = combiners.get(0);
        List<String> beside = new ArrayList<>(combiners.subList(1, combiners.size()));
        beside.addAll(present(schema, List.of("type")));
        beside.addAll(present(schema, OBJECT_KEYWORDS));
        beside.addAll(present(schema, ARRAY_KEYWORDS));
        beside.addAll(present(schema, STRING_KEYWORDS));
        beside.addAll(present(schema, VALUE_KEYWORDS));
        if (!beside.isEmpty()) {
          throw refusal(
              path, quoted(combiner) + " beside " + quoted(beside.get(0)) + " is not supported");
        }
        return switch (combiner) {
          case "$ref" -> reference(schema.get("$ref"), path);
          case "allOf" -> {
            List<JsonNode> all = schemas(schema, "allOf", path);
            if (all.size() != 1) {
              throw refusal(path, "\"allOf\" with more than one schema is not supported");
            }
            yield visit(all.get(0), path + ".allOf[0]", name);
          }
          default -> {
            List<JsonNode> choices = schemas(schema, combiner, path);
            List<String> expressions = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
              expressions.add(visit(choices.get(i), path + "." + combiner + "[" + i + "]", name));
            }
            yield alternatives(expressions);
          }
        };
      }
      List<String> types = types(schema, path);
      if (schema.has("enum") || schema.has("const")) {
        return values(schema, types, path);
      }
      if (types.isEmpty()) {
        if (!present(schema, OBJECT_KEYWORDS).isEmpty()) {
          types.add("object");
        }
        if (!present(schema, ARRAY_KEYWORDS).isEmpty()) {
          types.add("array");
        }
        if (!present(schema, STRING_KEYWORDS).isEmpty()) {
          types.add("string");
        }
        if (types.isEmpty()) {
          return use("value");
        }
      }
      List<String> expressions = new ArrayList<>();
      for (String type : types) {
        expressions.add(
            switch (type) {
              case "string" -> string(schema, path);
              case "object" -> object(schema, path, name);
              case "array" -> array(schema, path, name);
              default -> use(type);
            });
      }
      return alternatives(expressions);
    }

    private static List<String> present(JsonNode schema, List<String> keywords) {
      return keywords.stream().filter(schema::has).toList();
    }

    private static List<JsonNode> schemas(JsonNode schema, String keyword, String path) {
      JsonNode list = schema.get(keyword);
      if (!list.isArray() || list.isEmpty()) {
        throw refusal(path, quoted(keyword) + " must be a non-empty array of schemas");
      }
      List<JsonNode> out = new ArrayList<>();
      list.forEach(out::add);
      return out;
    }

    /** The types {@code type} names, in their order and each once; none when it is absent. */
    private static List<String> types(JsonNode schema, String path) {
      JsonNode type = schema.get("type");
      List<String> out = new ArrayList<>();
      if (type == null) {
        return out;
      }
      List<JsonNode> named = new ArrayList<>();
      if (type.isArray() && !type.isEmpty()) {
        type.forEach(named::add);
      } else {
        named.add(type);
      }
      for (JsonNode one : named) {
        if (!one.isTextual()) {
          throw refusal(path, "\"type\" must be a type's name or a non-empty array of them");
        }
        if (!TYPES.contains(one.textValue())) {
          throw refusal(path, "unknown type " + json(one));
        }
        if (!out.contains(one.textValue())) {
          out.add(one.textValue());
        }
      }
      return out;
    }

    private String reference(JsonNode ref, String path) {
      if (!ref.isTextual()) {
        throw refusal(path, "\"$ref\" must be a string");
      }
      String written = ref.textValue();
      String name = references.get(written);
      if (name == null) {
        if (!written.startsWith("#")) {
          throw refusal(
              path,
              "\"$ref\" "
                  + json(ref)
                  + " is not supported: only references within the schema (starting with #) are");
        }
        JsonPointer pointer;
        try {
          // a fragment is URI-encoded, and + is no space in it
          String fragment =
              URLDecoder.decode(written.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
          pointer = JsonPointer.compile(fragment);
        } catch (IllegalArgumentException e) {
          throw refusal(path, "\"$ref\" " + json(ref) + " does not resolve");
        }
        JsonNode target = document;
        StringBuilder targetPath = new StringBuilder(FIELD);
        List<String> segments = new ArrayList<>();
        for (JsonPointer at = pointer; !at.matches(); at = at.tail()) {
          String segment = at.getMatchingProperty();
          targetPath.append(target.isArray() ? "[" + segment + "]" : "." + segment);
          segments.add(segment);
          target = child(target, segment);
          if (target == null) {
            throw refusal(path, "\"$ref\" " + json(ref) + " does not resolve");
          }
        }
        boolean definition =
            segments.size() == 2
                && (segments.get(0).equals("$defs") || segments.get(0).equals("definitions"));
        String hint =
            definition
                ? "def-" + sanitize(segments.get(1))
                : "ref-" + sanitize(String.join("-", segments));
        name = reserve(hint);
        references.put(written, name);
        pathOfRule.put(name, targetPath.toString());
        String outer = owner;
        owner = name;
        try {
          rules.put(name, visit(target, targetPath.toString(), name));
        } finally {
          owner = outer;
        }
      }
      if (owner != null) {
        leading.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(name);
      }
      return name;
    }

    private static JsonNode child(JsonNode node, String segment) {
      if (node.isObject()) {
        return node.get(segment);
      }
      if (node.isArray() && segment.matches("0|[1-9][0-9]{0,8}")) {
        return node.get(Integer.parseInt(segment));
      }
      return null;
    }

    private static String sanitize(String text) {
      return NOT_IN_RULE_NAME.matcher(text).replaceAll("-");
    }

    private void refuseLeftRecursion() {
      Set<String> done = new HashSet<>();
      for (String start : leading.keySet()) {
        leftRecursion(start, new LinkedHashSet<>(), done);
      }
    }

    private void leftRecursion(String rule, Set<String> path, Set<String> done) {
      if (path.contains(rule)) {
        throw refusal(
            pathOfRule.get(rule),
            "refers to itself through \"$ref\" without an object or array in between");
      }
      if (!done.add(rule)) {
        return;
      }
      path.add(rule);
      for (String next : leading.getOrDefault(rule, Set.of())) {
        leftRecursion(next, path, done);
      }
      path.remove(rule);
    }

    /** An object's or array's content: references inside it come after its opening character. */
    private String inside(JsonNode schema, String path, String name) {
      String outer = owner;
      owner = null;
      try {
        return rule(name, visit(schema, path, name));
      } finally {
        owner = outer;
      }
    }

    private String values(JsonNode schema, List<String> types, String path) {
      List<JsonNode> given = new ArrayList<>();
      JsonNode list = schema.get("enum");
      if (list != null) {
        if (!list.isArray()) {
          throw refusal(path, "\"enum\" must be an array");
        }
        if (list.isEmpty()) {
          throw refusal(path, "\"enum\" is empty");
        }
        list.forEach(given::add);
      }
      JsonNode constant = schema.get("const");
      if (constant != null) {
        if (list != null && !given.contains(constant)) {
          throw refusal(path, "\"const\" is not one of \"enum\"");
        }
        given = List.of(constant);
      }
      Set<String> literals = new LinkedHashSet<>();
      for (JsonNode value : given) {
        if (types.isEmpty() || types.stream().anyMatch(type -> hasType(value, type))) {
          literals.add(literal(json(value)));
        }
      }
      if (literals.isEmpty()) {
        throw refusal(
            path, "no value of " + quoted(list != null ? "enum" : "const") + " has its \"type\"");
      }
      return sequence(alternatives(List.copyOf(literals)), use("space"));
    }

    private static boolean hasType(JsonNode value, String type) {
      return switch (type) {
        case "string" -> value.isTextual();
        case "number" -> value.isNumber();
        case "integer" ->
            value.isIntegralNumber()
                || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
        case "boolean" -> value.isBoolean();
        case "null" -> value.isNull();
        case "object" -> value.isObject();
        default -> value.isArray();
      };
    }

    /** A count keyword's value, or {@code absent}; counts beyond an int are as large as one. */
    private static int count(JsonNode schema, String keyword, int absent, String path) {
      JsonNode value = schema.get(keyword);
      if (value == null) {
        return absent;
      }
      boolean integral =
          value.isIntegralNumber()
              || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
      if (!integral || value.decimalValue().signum() < 0) {
        throw refusal(path, quoted(keyword) + " must be a non-negative integer");
      }
      BigInteger n = value.decimalValue().toBigInteger();
      return n.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0
          ? Integer.MAX_VALUE
          : n.intValue();
    }

    /** Checks {@code min} against {@code max} (-1 for none) and gives the max written out. */
    private static int bounds(int min, int max, String minKeyword, String maxKeyword, String path) {
      if (max >= 0 && min > max) {
        throw refusal(
            path,
            quoted(minKeyword) + " " + min + " is greater than " + quoted(maxKeyword) + " " + max);
      }
      if (min > REPEAT_LIMIT) {
        throw refusal(path, quoted(minKeyword) + " above " + REPEAT_LIMIT + " is not supported");
      }
      return max > REPEAT_LIMIT ? REPEAT_LIMIT : max;
    }

    private String string(JsonNode schema, String path) {
      int min = count(schema, "minLength", 0, path);
      int max = count(schema, "maxLength", -1, path);
      max = bounds(min, max, "minLength", "maxLength", path);
      if (min == 0 && max < 0) {
        return use("string");
      }
      use("char");
      return sequence("\"\\\"\"", repeat("char", min, max), "\"\\\"\"", use("space"));
    }

    private String object(JsonNode schema, String path, String name) {
      JsonNode properties = schema.get("properties");
      if (properties != null && !properties.isObject()) {
        throw refusal(path, "\"properties\" must be an object");
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional == null && properties == null) {
        // a bare object type asks for any object, not for the empty one
        additional = ANYTHING;
      }
      Set<String> required = new LinkedHashSet<>();
      JsonNode names = schema.get("required");
      if (names != null) {
        if (!names.isArray()) {
          throw refusal(path, "\"required\" must be an array of property names");
        }
        for (JsonNode one : names) {
          if (!one.isTextual()) {
            throw refusal(path, "\"required\" must be an array of property names");
          }
          required.add(one.textValue());
        }
      }
      for (String one : required) {
        JsonNode property = properties == null ? null : properties.get(one);
        if (property == null) {
          throw refusal(
              path, "\"required\" names " + literalJson(one) + ", which is not in \"properties\"");
        }
        if (property.isBoolean() && !property.booleanValue()) {
          throw refusal(path, "\"required\" names " + literalJson(one) + ", whose schema is false");
        }
      }
      List<String> members = new ArrayList<>();
      List<Boolean> mandatory = new ArrayList<>();
      List<String> listed = new ArrayList<>();
      if (properties != null) {
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
          String key = property.getKey();
          listed.add(key);
          if (property.getValue().isBoolean() && !property.getValue().booleanValue()) {
            continue;
          }
          String value =
              inside(property.getValue(), path + ".properties." + key, name + "-" + sanitize(key));
          members.add(
              sequence(literal(json(textNode(key))), use("space"), "\":\"", "space", value));
          mandatory.add(required.contains(key));
        }
      }
      String extra = "";
      if (additional != null && !(additional.isBoolean() && !additional.booleanValue())) {
        String value = inside(additional, path + ".additionalProperties", name + "-additional");
        if (listed.isEmpty() && value.equals("value")) {
          return use("object");
        }
        String key =
            listed.isEmpty()
                ? use("string")
                : rule(
                    name + "-additional-key",
                    sequence("\"\\\"\"", notAnyOf(listed), "\"\\\"\"", use("space")));
        extra = sequence(key, "\":\"", use("space"), value);
      }
      String comma = "\",\" space";
      int first = mandatory.indexOf(true);
      String body;
      if (first >= 0) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < first; i++) {
          parts.add("( " + sequence(members.get(i), comma) + " )?");
        }
        parts.add(members.get(first));
        parts.add(tail(members, mandatory, first + 1, extra));
        body = sequence(parts.toArray(String[]::new));
      } else {
        List<String> starts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
          starts.add(sequence(members.get(i), tail(members, mandatory, i + 1, extra)));
        }
        if (!extra.isEmpty()) {
          starts.add(sequence(extra, "( " + sequence(comma, extra) + " )*"));
        }
        body = starts.isEmpty() ? "" : "( " + String.join(" | ", starts) + " )?";
      }
      if (!members.isEmpty() || !extra.isEmpty()) {
        use("space");
      }
      return sequence("\"{\"", use("space"), body, "\"}\"", "space");
    }

    private static String literalJson(String text) {
      return json(textNode(text));
    }

    private static JsonNode textNode(String text) {
      return OpenAiJson.mapper().getNodeFactory().textNode(text);
    }

    /** The members from {@code from} on, each after a comma, then any further properties. */
    private static String tail(
        List<String> members, List<Boolean> mandatory, int from, String extra) {
      String comma = "\",\" space";
      List<String> parts = new ArrayList<>();
      for (int i = from; i < members.size(); i++) {
        String member = sequence(comma, members.get(i));
        parts.add(mandatory.get(i) ? member : "( " + member + " )?");
      }
      if (!extra.isEmpty()) {
        parts.add("( " + sequence(comma, extra) + " )*");
      }
      return sequence(parts.toArray(String[]::new));
    }

    /**
     * The content of a string that is none of {@code names}, written without escapes: at each
     * position, a character that leads away from every name, or one that follows a name on, and an
     * end only where no name ends.
     */
    private static String notAnyOf(List<String> names) {
      Trie trie = new Trie();
      names.forEach(trie::add);
      return trie.excluded();
    }

    private String array(JsonNode schema, String path, String name) {
      List<String> prefix = new ArrayList<>();
      JsonNode prefixItems = schema.get("prefixItems");
      if (prefixItems != null) {
        List<JsonNode> given = schemas(schema, "prefixItems", path);
        for (int i = 0; i < given.size(); i++) {
          prefix.add(inside(given.get(i), path + ".prefixItems[" + i + "]", name + "-" + i));
        }
      }
      JsonNode items = schema.get("items");
      String item;
      if (items == null || items.isBoolean() && items.booleanValue()) {
        item = use("value");
      } else if (items.isBoolean()) {
        item = null;
      } else if (items.isArray()) {
        throw refusal(path, "\"items\" as an array is not supported; \"prefixItems\" is");
      } else {
        item = inside(items, path + ".items", name + "-item");
      }
      int min = count(schema, "minItems", 0, path);
      int max = count(schema, "maxItems", -1, path);
      max = bounds(min, max, "minItems", "maxItems", path);
      if (item == null) {
        if (min > prefix.size()) {
          throw refusal(
              path,
              "\"minItems\" "
                  + min
                  + " is greater than the "
                  + prefix.size()
                  + " items \"prefixItems\" allows when \"items\" is false");
        }
        max = max < 0 ? prefix.size() : Math.min(max, prefix.size());
      }
      use("space");
      if (max == 0) {
        return sequence("\"[\"", "space", "\"]\"", "space");
      }
      String head = sequence(element(prefix, item, 0), elements(prefix, item, 1, min, max));
      String body = min >= 1 ? head : "( " + head + " )?";
      return sequence("\"[\"", "space", body, "\"]\"", "space");
    }

    private static String element(List<String> prefix, String item, int i) {
      return i < prefix.size() ? prefix.get(i) : item;
    }

    /** The elements from index {@code i} on (each after a comma), {@code max} -1 for no limit. */
    private static String elements(List<String> prefix, String item, int i, int min, int max) {
      if (max >= 0 && i >= max) {
        return "";
      }
      if (i >= prefix.size()) {
        return repeat("( \",\" space " + item + " )", Math.max(0, min - i), max < 0 ? -1 : max - i);
      }
      String next =
          sequence(
              "\",\" space", element(prefix, item, i), elements(prefix, item, i + 1, min, max));
      return i < min ? next : "( " + next + " )?";
    }
  }

  /** Property names by character, to write the strings that are none of them. */
  private static final class Trie {
    private final TreeMap<Integer, Trie> next = new TreeMap<>();
    private boolean ends;

    void add(String text) {
      Trie at = this;
      for (int c : text.codePoints().toArray()) {
        at = at.next.computeIfAbsent(c, k -> new Trie());
      }
      at.ends = true;
    }

    String excluded() {
      StringBuilder away = new StringBuilder("[^\"\\\\\\x7F\\x00-\\x1F");
      next.keySet().forEach(c -> away.append(classMember(c)));
      away.append("] ").append(KEY_CHAR).append('*');
      List<String> choices = new ArrayList<>();
      choices.add(away.toString());
      next.forEach(
          (c, trie) -> {
            // a name with a quote, backslash or control character cannot be spelt without escapes
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
              choices.add(literal(Character.toString(c)) + " " + trie.excluded());
            }
          });
      String group = "( " + String.join(" | ", choices) + " )";
      // where a name ends, the string must go on; elsewhere it may end
      return ends ? group : group + "?";
    }

    private static String classMember(int c) {
      return Character.isLetterOrDigit(c) && c < 0x80 ? Character.toString(c) : hex(c);
    }
  }
}
