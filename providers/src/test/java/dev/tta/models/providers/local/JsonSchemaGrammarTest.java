package dev.tta.models.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grammars for small schemas are written out here by hand; refusals are checked by their whole
 * message. Then llama.cpp itself gets the grammars: it must accept them, and the tiny random model,
 * decoding greedily, must give JSON that the schema allows. That model, left alone, says {@code "
 * Hi from Hi from ..."} forever, so its strings are bounded with {@code maxLength} to let it end.
 */
class JsonSchemaGrammarTest {

  private static final String SPACE = "space ::= | \" \" | \"\\n\" [ \\t]{0,20}\n";
  private static final String CHAR =
      "char ::= [^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\bfnrt] | \"u\" [0-9a-fA-F]{4})\n";
  private static final String STRING = "string ::= \"\\\"\" char* \"\\\"\" space\n";
  private static final String INTEGRAL_PART = "integral-part ::= [0] | [1-9] [0-9]{0,15}\n";
  private static final String INTEGER = "integer ::= \"-\"? integral-part space\n";
  private static final String NULL = "null ::= \"null\" space\n";
  private static final String BOOLEAN = "boolean ::= ( \"true\" | \"false\" ) space\n";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path models;
  private static LlamaModel llama;

  @BeforeAll
  static void load() throws IOException {
    Path file = models.resolve("tiny.gguf");
    TinyLlamaWriter.write(file, 5);
    try {
      llama =
          new LlamaModel(
              LocalRuntime.parameters().setModel(file.toString()).setCtxSize(512).setThreads(2));
    } finally {
      LocalRuntime.reattachLogger();
    }
  }

  @AfterAll
  static void close() {
    if (llama != null) {
      llama.close();
    }
  }

  // ---- the grammar text

  @Test
  void anyObject_isAnObjectOfAnyJsonValues() {
    assertThat(JsonSchemaGrammar.anyObject())
        .isEqualTo(
            "root ::= object\n"
                + "array ::= \"[\" space ( value ( \",\" space value )* )? \"]\" space\n"
                + BOOLEAN
                + CHAR
                + "decimal-part ::= [0-9]{1,16}\n"
                + INTEGRAL_PART
                + NULL
                + "number ::= \"-\"? integral-part ( \".\" decimal-part )?"
                + " ( [eE] [-+]? integral-part )? space\n"
                + "object ::= \"{\" space ( string \":\" space value"
                + " ( \",\" space string \":\" space value )* )? \"}\" space\n"
                + SPACE
                + STRING
                + "value ::= object | array | string | number | boolean | null\n");
  }

  @Test
  void anEmptySchemaOrTrue_isAnyValue() {
    assertThat(JsonSchemaGrammar.forSchema("{}")).startsWith("root ::= value\n");
    assertThat(JsonSchemaGrammar.forSchema("true")).startsWith("root ::= value\n");
  }

  @Test
  void anObject_hasItsRequiredPropertyAndMayHaveItsOptionalOne_inTheirOrder() {
    String schema =
        """
        {"type": "object", "title": "Person",
         "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
         "required": ["name"], "additionalProperties": false}""";

    assertThat(JsonSchemaGrammar.forSchema(schema))
        .isEqualTo(
            "root ::= \"{\" space \"\\\"name\\\"\" space \":\" space string"
                + " ( \",\" space \"\\\"age\\\"\" space \":\" space integer )? \"}\" space\n"
                + CHAR
                + INTEGER
                + INTEGRAL_PART
                + SPACE
                + STRING);
  }

  @Test
  void optionalPropertiesBeforeTheFirstRequiredOne_eachTakeTheirComma() {
    String schema =
        """
        {"type": "object", "properties": {"a": {"type": "null"}, "b": {"type": "null"},
          "c": {"type": "null"}}, "required": ["b"]}""";

    assertThat(JsonSchemaGrammar.forSchema(schema))
        .isEqualTo(
            "root ::= \"{\" space ( \"\\\"a\\\"\" space \":\" space null \",\" space )?"
                + " \"\\\"b\\\"\" space \":\" space null"
                + " ( \",\" space \"\\\"c\\\"\" space \":\" space null )? \"}\" space\n"
                + NULL
                + SPACE);
  }

  @Test
  void enumValues_areTheirJsonText_escapedForGbnf() {
    // a"b, é, 1.5, null, a line break, U+1F600 and U+0001
    String schema =
        "{\"enum\": [\"a\\\"b\", \"\u00e9\", 1.5, null, \"x\\ny\", \"\ud83d\ude00\","
            + " \"\\u0001\", {\"k\": [true]}]}";

    assertThat(JsonSchemaGrammar.forSchema(schema))
        .isEqualTo(
            "root ::= ( \"\\\"a\\\\\\\"b\\\"\" | \"\\\"\\u00E9\\\"\" | \"1.5\" | \"null\""
                + " | \"\\\"x\\\\ny\\\"\" | \"\\\"\\U0001F600\\\"\" | \"\\\"\\\\u0001\\\"\""
                + " | \"{\\\"k\\\":[true]}\" ) space\n"
                + SPACE);
  }

  @Test
  void anEnumWithAType_keepsTheValuesOfThatType() {
    assertThat(JsonSchemaGrammar.forSchema("{\"type\": \"integer\", \"enum\": [1, \"1\", 2.0]}"))
        .isEqualTo("root ::= ( \"1\" | \"2.0\" ) space\n" + SPACE);
  }

  @Test
  void anArray_repeatsItsItemsBetweenMinItemsAndMaxItems() {
    assertThat(
            JsonSchemaGrammar.forSchema(
                "{\"type\": \"array\", \"items\": {\"type\": \"boolean\"},"
                    + " \"minItems\": 1, \"maxItems\": 3}"))
        .isEqualTo(
            "root ::= \"[\" space boolean ( \",\" space boolean ){0,2} \"]\" space\n"
                + BOOLEAN
                + SPACE);
  }

  @Test
  void aStringWithLengths_countsItsCharacters() {
    assertThat(
            JsonSchemaGrammar.forSchema(
                "{\"type\": [\"string\", \"null\"], \"minLength\": 2, \"maxLength\": 5}"))
        .isEqualTo("root ::= ( \"\\\"\" char{2,5} \"\\\"\" space | null )\n" + CHAR + NULL + SPACE);
  }

  @Test
  void aRecursiveDefinition_isOneRuleThatRefersToItself() {
    String schema =
        """
        {"$defs": {"node": {"type": "object", "additionalProperties": false, "required": ["next"],
          "properties": {"next": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}}}},
         "$ref": "#/$defs/node"}""";

    assertThat(JsonSchemaGrammar.forSchema(schema))
        .isEqualTo(
            "root ::= def-node\n"
                + "def-node ::= \"{\" space \"\\\"next\\\"\" space \":\" space def-node-next"
                + " \"}\" space\n"
                + "def-node-next ::= ( def-node | null )\n"
                + NULL
                + SPACE);
  }

  @Test
  void furtherProperties_haveNamesThatAreNoneOfTheListedOnes() {
    String schema =
        """
        {"type": "object", "properties": {"a": {"type": "null"}, "ab": {"type": "null"}},
         "required": ["a"], "additionalProperties": {"type": "null"}}""";

    // "a", then "b": a name must go on after either, since both are taken
    String other = "[^\"\\\\\\x7F\\x00-\\x1F]";
    assertThat(JsonSchemaGrammar.forSchema(schema))
        .isEqualTo(
            "root ::= \"{\" space \"\\\"a\\\"\" space \":\" space null"
                + " ( \",\" space \"\\\"ab\\\"\" space \":\" space null )?"
                + " ( \",\" space root-additional-key \":\" space null )* \"}\" space\n"
                + NULL
                + "root-additional-key ::= \"\\\"\" ( [^\"\\\\\\x7F\\x00-\\x1Fa] "
                + other
                + "* | \"a\" ( [^\"\\\\\\x7F\\x00-\\x1Fb] "
                + other
                + "* | \"b\" ( "
                + other
                + " "
                + other
                + "* ) ) )? \"\\\"\" space\n"
                + SPACE);
  }

  // ---- refusals

  @Test
  void aReferenceThatDoesNotResolve_isRefused_notACrash() {
    assertRefused(
        "{\"$ref\": \"#/nowhere\"}",
        "response_format.json_schema.schema: \"$ref\" \"#/nowhere\" does not resolve");
    assertRefused(
        "{\"$ref\": \"https://example.com/person.json\"}",
        "response_format.json_schema.schema: \"$ref\" \"https://example.com/person.json\" is not"
            + " supported: only references within the schema (starting with #) are");
  }

  @Test
  void textThatIsNoJson_isRefused() {
    assertRefused(
        "{\"type\":",
        "response_format.json_schema.schema: not valid JSON at line 1, column 9:"
            + " Unexpected end-of-input within/between Object entries");
    assertRefused(
        "{\"type\": \"string\", \"type\": \"null\"}",
        "response_format.json_schema.schema: not valid JSON at line 1, column 26:"
            + " Duplicate field 'type'");
    assertRefused(" ", "response_format.json_schema.schema: is empty");
    assertRefused(
        "[]", "response_format.json_schema.schema: a schema must be a JSON object or a boolean");
  }

  @Test
  void unsupportedKeywords_areRefused_atTheirPlace() {
    assertRefused(
        "{\"type\": \"object\", \"properties\": {\"mood\": {\"type\": \"string\", \"pattern\": \"^a\"}}}",
        "response_format.json_schema.schema.properties.mood: \"pattern\" is not supported");
    assertRefused(
        "{\"anyOf\": [{\"type\": \"null\"}, {\"not\": {}}]}",
        "response_format.json_schema.schema.anyOf[1]: \"not\" is not supported");
    assertRefused(
        "{\"type\": \"array\", \"items\": {\"if\": {}, \"then\": {}}}",
        "response_format.json_schema.schema.items: \"if\" is not supported");
    assertRefused(
        "{\"type\": \"object\", \"patternProperties\": {}}",
        "response_format.json_schema.schema: \"patternProperties\" is not supported");
    assertRefused(
        "{\"type\": \"string\", \"anyOf\": [{\"maxLength\": 3}]}",
        "response_format.json_schema.schema: \"anyOf\" beside \"type\" is not supported");
  }

  @Test
  void contradictionsAndNonsense_areRefused() {
    String root = "response_format.json_schema.schema: ";
    assertRefused("{\"type\": \"text\"}", root + "unknown type \"text\"");
    assertRefused("{\"enum\": []}", root + "\"enum\" is empty");
    assertRefused(
        "{\"type\": \"array\", \"minItems\": 3, \"maxItems\": 2}",
        root + "\"minItems\" 3 is greater than \"maxItems\" 2");
    assertRefused(
        "{\"type\": \"string\", \"minLength\": 5, \"maxLength\": 4}",
        root + "\"minLength\" 5 is greater than \"maxLength\" 4");
    assertRefused(
        "{\"type\": \"string\", \"maxLength\": -1}",
        root + "\"maxLength\" must be a" + " non-negative integer");
    assertRefused(
        "{\"type\": \"boolean\", \"enum\": [\"yes\"]}",
        root + "no value of \"enum\" has its \"type\"");
    assertRefused(
        "{\"type\": \"object\", \"properties\": {}, \"required\": [\"id\"]}",
        root + "\"required\" names \"id\", which is not in \"properties\"");
    assertRefused(
        "{\"allOf\": [{\"type\": \"null\"}, {}]}",
        root + "\"allOf\" with more than one schema is not supported");
    assertRefused(
        "{\"type\": \"object\", \"properties\": {\"a\": 3}}",
        "response_format.json_schema.schema.properties.a: a schema must be a JSON object or a"
            + " boolean");
  }

  @Test
  void aReferenceThatComesBackToItselfBeforeAnyCharacter_isRefused() {
    // llama.cpp refuses such a left-recursive grammar
    assertRefused(
        "{\"$defs\": {\"a\": {\"anyOf\": [{\"$ref\": \"#/$defs/a\"}, {\"type\": \"null\"}]}},"
            + " \"$ref\": \"#/$defs/a\"}",
        "response_format.json_schema.schema.$defs.a: refers to itself through \"$ref\" without"
            + " an object or array in between");
  }

  private static void assertRefused(String schema, String message) {
    assertThatThrownBy(() -> JsonSchemaGrammar.forSchema(schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  // ---- llama.cpp

  /**
   * Greedy decoding of the tiny model under {@code grammar}, as parsed JSON. Byte tokens above 0x7F
   * are left out: the binding decodes each token alone, so a character split over byte tokens would
   * come back as replacement characters, and lengths could not be checked.
   */
  private static JsonNode generate(String grammar) throws IOException {
    List<Integer> nonAsciiBytes = new ArrayList<>();
    IntStream.range(3 + 0x80, 3 + 0x100).forEach(nonAsciiBytes::add);
    String text =
        llama.complete(
            new InferenceParameters("user: answer in JSON\nassistant:")
                .setGrammar(grammar)
                .disableTokenIds(nonAsciiBytes)
                .setNPredict(400)
                .setTemperature(0)
                .setSeed(42));
    return JSON.readTree(text);
  }

  @Test
  void llama_anyObject_givesAnObject() throws IOException {
    assertThat(generate(JsonSchemaGrammar.anyObject()).isObject()).isTrue();
  }

  @Test
  void llama_anObjectSchema_givesItsPropertiesWithTheirTypes() throws IOException {
    String schema =
        """
        {"type": "object", "additionalProperties": false,
         "properties": {"name": {"type": "string", "maxLength": 12}, "age": {"type": "integer"},
           "ok": {"type": "boolean"}, "mood": {"enum": ["happy", "sad", "a\\"b"]}},
         "required": ["name", "age", "ok", "mood"]}""";

    JsonNode out = generate(JsonSchemaGrammar.forSchema(schema));

    assertThat(out.isObject()).isTrue();
    assertThat(out.properties())
        .extracting(e -> e.getKey())
        .containsExactly("name", "age", "ok", "mood");
    assertThat(out.get("name").isTextual()).isTrue();
    assertThat(out.get("name").textValue().length()).isLessThanOrEqualTo(12);
    assertThat(out.get("age").isIntegralNumber()).isTrue();
    assertThat(out.get("ok").isBoolean()).isTrue();
    assertThat(out.get("mood").textValue()).isIn("happy", "sad", "a\"b");
  }

  @Test
  void llama_anArraySchema_givesBetweenMinItemsAndMaxItemsItems() throws IOException {
    JsonNode out =
        generate(
            JsonSchemaGrammar.forSchema(
                "{\"type\": \"array\", \"items\": {\"type\": \"integer\"},"
                    + " \"minItems\": 2, \"maxItems\": 4}"));

    assertThat(out.isArray()).isTrue();
    assertThat(out.size()).isBetween(2, 4);
    out.forEach(item -> assertThat(item.isIntegralNumber()).isTrue());
  }

  @Test
  void llama_aRecursiveReference_givesNestedNodes() throws IOException {
    String schema =
        """
        {"$defs": {"node": {"type": "object", "additionalProperties": false,
          "required": ["v", "next"],
          "properties": {"v": {"type": "integer"},
                         "next": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}}}},
         "$ref": "#/$defs/node"}""";

    JsonNode node = generate(JsonSchemaGrammar.forSchema(schema));

    do {
      assertThat(node.isObject()).isTrue();
      assertThat(node.properties()).extracting(e -> e.getKey()).containsExactly("v", "next");
      assertThat(node.get("v").isIntegralNumber()).isTrue();
      node = node.get("next");
    } while (!node.isNull());
  }

  @Test
  void llama_anyOf_givesOneOfTheAlternatives() throws IOException {
    String schema =
        """
        {"anyOf": [{"type": "string", "maxLength": 5}, {"type": "number"},
          {"type": "object", "properties": {"x": {"type": "null"}}, "required": ["x"],
           "additionalProperties": false}]}""";

    JsonNode out = generate(JsonSchemaGrammar.forSchema(schema));

    boolean string = out.isTextual() && out.textValue().length() <= 5;
    boolean object = out.isObject() && out.size() == 1 && out.path("x").isNull();
    assertThat(string || out.isNumber() || object).as(out.toString()).isTrue();
  }

  @Test
  void llama_furtherProperties_areOfTheirSchema() throws IOException {
    String schema =
        """
        {"type": "object", "properties": {"a": {"type": "integer"}, "ab": {"type": "boolean"}},
         "required": ["a"], "additionalProperties": {"type": "integer"}}""";

    JsonNode out = generate(JsonSchemaGrammar.forSchema(schema));

    assertThat(out.get("a").isIntegralNumber()).isTrue();
    out.properties()
        .forEach(
            e -> {
              if (e.getKey().equals("ab")) {
                assertThat(e.getValue().isBoolean()).isTrue();
              } else {
                assertThat(e.getValue().isIntegralNumber()).isTrue();
              }
            });
  }

  /** llama.cpp's own converter, given only valid schemas, leads the model to the same JSON. */
  @Test
  void llama_givesTheSameJsonAsLlamaCppsOwnConverter() throws IOException {
    String schema =
        """
        {"type": "object", "additionalProperties": false,
         "properties": {"name": {"type": "string", "maxLength": 8}, "n": {"type": "integer"},
           "tags": {"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1,
                    "maxItems": 2}},
         "required": ["name", "n", "tags"]}""";

    JsonNode ours = generate(JsonSchemaGrammar.forSchema(schema));

    assertThat(ours).isEqualTo(generate(LlamaModel.jsonSchemaToGrammar(schema)));
    assertThat(ours.get("tags").size()).isBetween(1, 2);
  }
}
