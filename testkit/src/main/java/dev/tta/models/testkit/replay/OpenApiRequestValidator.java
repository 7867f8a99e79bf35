package dev.tta.models.testkit.replay;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates request bodies against a schema of an OpenAPI 3.1 document, such as {@code
 * components.schemas.CreateChatCompletionRequest} of OpenAI's official specification. OpenAPI 3.1
 * schemas are JSON Schema 2020-12, so the document is loaded as one schema resource and the named
 * schema is addressed by a JSON pointer; its {@code $ref}s resolve within the document. Loading a
 * large specification takes a moment, so validators are shared per file and schema.
 */
public final class OpenApiRequestValidator {

  /** The chat request schema of OpenAI's specification. */
  public static final String CHAT_COMPLETION_REQUEST = "CreateChatCompletionRequest";

  private static final String DOCUMENT_IRI = "https://spec.invalid/openapi.yaml";
  private static final Map<String, OpenApiRequestValidator> LOADED = new ConcurrentHashMap<>();

  private final String schemaName;
  private final Schema schema;

  private OpenApiRequestValidator(String schemaName, Schema schema) {
    this.schemaName = schemaName;
    this.schema = schema;
  }

  /**
   * The validator for one schema of a specification file.
   *
   * @param openApiYaml the OpenAPI 3.1 document
   * @param schemaName a key of {@code components.schemas}
   */
  public static OpenApiRequestValidator forSchema(Path openApiYaml, String schemaName) {
    Objects.requireNonNull(openApiYaml, "openApiYaml");
    Objects.requireNonNull(schemaName, "schemaName");
    String key = openApiYaml.toAbsolutePath().normalize() + "#" + schemaName;
    return LOADED.computeIfAbsent(key, ignored -> load(openApiYaml, schemaName));
  }

  /**
   * The validator for a schema of a provider's published specification in {@code
   * ../shared/fixtures/<provider>/openapi.yaml}; empty where {@code ../shared} lacks it (a user's
   * clone), so that the request check is then left out rather than the case.
   */
  public static Optional<OpenApiRequestValidator> shared(String provider, String schemaName) {
    if (!FixtureSet.sharedPresent(provider)) {
      return Optional.empty();
    }
    return FixtureSet.shared(provider)
        .file("openapi.yaml")
        .filter(Files::exists)
        .map(spec -> forSchema(spec, schemaName));
  }

  private static OpenApiRequestValidator load(Path openApiYaml, String schemaName) {
    String text;
    try {
      text = Files.readString(openApiYaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The specification has a block scalar (an example of `stop`) whose blank first line holds more
    // spaces than the text after it, which the YAML parser refuses; blank lines carry no schema.
    String document = text.replaceAll("(?m)^[ \t]+$", "");
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(Map.of(DOCUMENT_IRI, document)));
    Schema schema =
        registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#/components/schemas/" + schemaName));
    schema.initializeValidators();
    return new OpenApiRequestValidator(schemaName, schema);
  }

  public String schemaName() {
    return schemaName;
  }

  /**
   * What is wrong with a request body, one message per violation; empty when the body is valid. A
   * body that is not JSON is one violation.
   */
  public List<String> violations(String body) {
    try {
      return schema.validate(body, InputFormat.JSON).stream().map(Error::toString).toList();
    } catch (RuntimeException e) {
      return List.of("not valid JSON: " + e.getMessage());
    }
  }
}
