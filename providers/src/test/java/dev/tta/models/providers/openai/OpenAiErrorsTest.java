package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.time.ManualTimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiErrorsTest {

  static final ProviderId PROVIDER = ProviderId.of("custom");
  // 2026-01-01T00:00:00Z
  final ManualTimeSource clock = new ManualTimeSource();
  final OpenAiErrors errors =
      new OpenAiErrors(PROVIDER, Redactor.of(List.of(Secret.of("sk-wrong"))), clock);

  static Function<String, Optional<String>> headers(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  static final Function<String, Optional<String>> NO_HEADERS = headers(Map.of());

  ProviderException response(int status, String body) {
    return errors.fromResponse("m", status, NO_HEADERS, body);
  }

  // ---- classify: one row per rule, at and just past each boundary ----

  @ParameterizedTest(name = "{0} {1}/{2} \"{3}\" -> {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        // rule 1: context length, by code, type or message
        "400 | context_length_exceeded | invalid_request_error | too long | CONTEXT_LENGTH_EXCEEDED",
        "400 |  | context_length_exceeded | x | CONTEXT_LENGTH_EXCEEDED",
        "400 |  | invalid_request_error | the request exceeds the available context size. try increasing it | CONTEXT_LENGTH_EXCEEDED",
        "500 |  | server_error | context shift is disabled | CONTEXT_LENGTH_EXCEEDED",
        "400 |  |  | This model's maximum context length is 8192 tokens | CONTEXT_LENGTH_EXCEEDED",
        "400 |  |  | input exceeds the context window | CONTEXT_LENGTH_EXCEEDED",
        "400 |  |  | bad context_length value | CONTEXT_LENGTH_EXCEEDED",
        // rule 2: content filter
        "400 | content_filter | invalid_request_error | filtered | CONTENT_FILTERED",
        "400 | content_policy_violation |  | refused | CONTENT_FILTERED",
        "200 |  | content_filter |  | CONTENT_FILTERED",
        // rule 3: authentication
        "401 | invalid_api_key | invalid_request_error | Incorrect API key | AUTHENTICATION",
        "401 |  | authentication_error | Invalid API Key | AUTHENTICATION",
        "403 |  | permission_error | no | AUTHENTICATION",
        "403 |  |  | forbidden | AUTHENTICATION",
        "0 |  | authentication_error |  | AUTHENTICATION",
        "0 | invalid_api_key |  |  | AUTHENTICATION",
        "0 |  | permission_error |  | AUTHENTICATION",
        // rule 4: model not found
        "404 | model_not_found | invalid_request_error | The model `x` does not exist | MODEL_NOT_FOUND",
        "404 |  | not_found_error | model 'llama3.2' not found | MODEL_NOT_FOUND",
        "400 | model_not_found |  |  | MODEL_NOT_FOUND",
        // rule 5: rate limits and quota
        "429 | insufficient_quota | insufficient_quota | You exceeded your current quota | RATE_LIMITED",
        "429 | rate_limit_exceeded | requests | slow down | RATE_LIMITED",
        "0 |  | rate_limit_error |  | RATE_LIMITED",
        "0 | rate_limit_exceeded |  |  | RATE_LIMITED",
        "429 |  |  | Provider returned error | RATE_LIMITED",
        "402 |  |  | Insufficient credits | RATE_LIMITED",
        "200 | insufficient_quota |  |  | RATE_LIMITED",
        // rule 6: timeouts
        "408 |  |  | request timeout | TIMEOUT",
        "504 |  |  | gateway timeout | TIMEOUT",
        // rule 7: llama.cpp's 500 for bad input
        "500 |  | server_error | [json.exception.parse_error.101] parse error | INVALID_REQUEST",
        "500 |  | server_error | [json.exception.out_of_range.403] key 'messages' not found | INVALID_REQUEST",
        "501 |  | not_supported_error | [json.exception.x] | UNAVAILABLE",
        "500 |  | server_error | bad [json.exception.x] | UNAVAILABLE",
        // rule 8: other 4xx but 404
        "400 |  | invalid_request_error | bad | INVALID_REQUEST",
        "405 |  |  | method not allowed | INVALID_REQUEST",
        "422 |  |  | unprocessable | INVALID_REQUEST",
        "499 |  |  | client closed | INVALID_REQUEST",
        // rule 9: everything else
        "404 |  | not_found_error | File Not Found | UNAVAILABLE",
        "500 |  | server_error | boom | UNAVAILABLE",
        "501 |  | not_supported_error | This server does not support metrics endpoint | UNAVAILABLE",
        "503 |  | unavailable_error | Loading model | UNAVAILABLE",
        "529 |  | overloaded_error | Overloaded | UNAVAILABLE",
        "399 |  |  | odd | UNAVAILABLE",
        "0 |  |  | no status | UNAVAILABLE",
        "302 |  |  | moved | UNAVAILABLE",
      })
  void classify_rules(int status, String code, String type, String message, ErrorClass expected) {
    WireError error =
        new WireError(
            type == null ? "" : type,
            code == null ? "" : code,
            OptionalInt.empty(),
            message == null ? "" : message);

    assertThat(OpenAiErrors.classify(status, error)).isEqualTo(expected);
  }

  // ---- bodies as recorded ----

  @Test
  void fromResponse_openAiInvalidKey_authenticationWithoutTheKey() {
    // openai/error_401_invalid_api_key.json, the key being the test's fake DEADBEEF
    ProviderException e =
        response(
            401,
            "{\"error\": {\"message\": \"Incorrect API key provided: DEADBEEF. You can find your"
                + " API key at https://platform.openai.com/account/api-keys.\", \"type\":"
                + " \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}");

    assertThat(e).isInstanceOf(ProviderException.Authentication.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "HTTP 401 invalid_api_key: Incorrect API key provided: [redacted] You can find your API"
                + " key at https://platform.openai.com/account/api-keys.");
    assertThat(e.provider()).isEqualTo(PROVIDER);
    assertThat(e.modelId()).contains("m");
  }

  @Test
  void fromResponse_configuredKeyEchoed_redacted() {
    ProviderException e =
        response(
            401,
            "{\"error\":{\"code\":401,\"message\":\"key sk-wrong refused\",\"type\":\"authentication_error\"}}");

    assertThat(e.getMessage()).isEqualTo("HTTP 401 authentication_error: key [redacted] refused");
  }

  @Test
  void fromResponse_openAiInsufficientQuota_rateLimitedWithoutWait() {
    // openai/error_429_insufficient_quota.transcribed.json, 4-space indented
    ProviderException e =
        response(
            429,
            "{\n    \"error\": {\n        \"message\": \"You exceeded your current quota, please check"
                + " your plan and billing details.\",\n        \"type\": \"insufficient_quota\",\n"
                + "        \"param\": null,\n        \"code\": \"insufficient_quota\"\n    }\n}\n");

    assertThat(e).isInstanceOf(ProviderException.RateLimited.class);
    assertThat(((ProviderException.RateLimited) e).retryAfter()).isEmpty();
    assertThat(e.getMessage())
        .isEqualTo(
            "HTTP 429 insufficient_quota: You exceeded your current quota, please check your plan"
                + " and billing details.");
  }

  @Test
  void fromResponse_llamaPromptOverContext_contextLengthExceeded() {
    // llama-server/noctxshift_error_prompt_over_context.response.http: numeric code, no param
    ProviderException e =
        response(
            400,
            "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size."
                + " try increasing the context size or enable context shift\",\"type\":"
                + "\"invalid_request_error\"}}");

    assertThat(e).isInstanceOf(ProviderException.ContextLengthExceeded.class);
    assertThat(((ProviderException.ContextLengthExceeded) e).contextLimit()).isEmpty();
    assertThat(e.getMessage()).startsWith("HTTP 400 invalid_request_error: the request exceeds");
  }

  @Test
  void fromResponse_openAiContextMessage_limitRead() {
    ProviderException e =
        response(
            400,
            "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However,"
                + " your messages resulted in 130017 tokens.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}");

    assertThat(((ProviderException.ContextLengthExceeded) e).contextLimit()).hasValue(128000);
  }

  @Test
  void fromResponse_contentFilter_reasonIsTheServersMessage() {
    ProviderException e =
        response(
            400,
            "{\"error\":{\"message\":\"The response was filtered (key sk-wrong)\",\"code\":\"content_filter\"}}");

    assertThat(e).isInstanceOf(ProviderException.ContentFiltered.class);
    assertThat(((ProviderException.ContentFiltered) e).reason())
        .isEqualTo("The response was filtered (key [redacted])");
  }

  @Test
  void fromResponse_llamaUnknownPath_unavailableWithAHint() {
    ProviderException e =
        response(
            404,
            "{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}");

    assertThat(e).isInstanceOf(ProviderException.Unavailable.class);
    assertThat(e.getMessage())
        .isEqualTo("HTTP 404 not_found_error: File Not Found (no such endpoint: check base_url)");
  }

  @Test
  void fromResponse_modelNotFound404_noHint() {
    ProviderException e =
        response(
            404,
            "{\"error\":{\"message\":\"The model `x` does not exist\",\"code\":\"model_not_found\"}}");

    assertThat(e).isInstanceOf(ProviderException.ModelNotFound.class);
    assertThat(e.getMessage()).isEqualTo("HTTP 404 model_not_found: The model `x` does not exist");
  }

  @Test
  void fromResponse_otherShapes_read() {
    // Ollama: {"error": "text"}
    assertThat(response(404, "{\"error\":\"model 'llama3.2' not found\"}"))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessage("HTTP 404: model 'llama3.2' not found");
    // vLLM: a bare error object
    assertThat(
            response(
                400,
                "{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}"))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("HTTP 400 badrequesterror: bad");
    // FastAPI: {"detail": ...}
    assertThat(response(422, "{\"detail\":\"field required\"}"))
        .hasMessage("HTTP 422: field required");
    // a structured detail is kept as JSON text
    assertThat(response(422, "{\"detail\":[{\"loc\":[\"body\"]}]}"))
        .hasMessage("HTTP 422: [{\"loc\":[\"body\"]}]");
    // OpenRouter: a numeric code and metadata
    assertThat(
            response(
                429,
                "{\"error\":{\"code\":429,\"message\":\"Provider returned error\",\"metadata\":{}}}"))
        .isInstanceOf(ProviderException.RateLimited.class)
        .hasMessage("HTTP 429: Provider returned error");
  }

  @Test
  void fromResponse_notJson_bodyTextKept() {
    assertThat(response(502, "<html>Bad Gateway</html>"))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("HTTP 502: <html>Bad Gateway</html>");
    assertThat(response(503, "")).hasMessage("HTTP 503");
    assertThat(response(503, null)).hasMessage("HTTP 503");
    assertThat(response(500, "[1,2]")).hasMessage("HTTP 500: [1,2]");
    assertThat(response(500, "{}")).hasMessage("HTTP 500");
    assertThat(response(500, "{\"error\":{\"message\":null,\"type\":\"server_error\"}}"))
        .hasMessage("HTTP 500 server_error");
    assertThat(response(500, "{\"error\":{\"message\":42}}")).hasMessage("HTTP 500: 42");
  }

  @Test
  void fromResponse_longMessages_cut() {
    // 300 characters of raw body kept, then 500 characters of a message
    String raw = "x".repeat(301);
    assertThat(response(500, raw).getMessage()).isEqualTo("HTTP 500: " + "x".repeat(300));
    String message = "y".repeat(501);
    assertThat(response(500, "{\"error\":{\"message\":\"" + message + "\"}}").getMessage())
        .isEqualTo("HTTP 500: " + "y".repeat(500) + "...");
    assertThat(response(500, "{\"error\":{\"message\":\"" + "z".repeat(500) + "\"}}").getMessage())
        .isEqualTo("HTTP 500: " + "z".repeat(500));
  }

  // ---- retry after ----

  @Test
  void fromResponse_retryAfterSeconds_onRateLimitOnly() {
    var limited =
        errors.fromResponse(
            "m",
            429,
            headers(Map.of("retry-after", "20")),
            "{\"error\":{\"code\":\"rate_limit_exceeded\"}}");
    var unavailable = errors.fromResponse("m", 503, headers(Map.of("retry-after", "20")), "{}");

    assertThat(((ProviderException.RateLimited) limited).retryAfter())
        .contains(Duration.ofSeconds(20));
    assertThat(unavailable).isInstanceOf(ProviderException.Unavailable.class);
  }

  @Test
  void retryAfter_forms() {
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after-ms", "1500")), clock))
        .contains(Duration.ofMillis(1500));
    // milliseconds win over seconds
    assertThat(
            OpenAiErrors.retryAfter(
                headers(Map.of("retry-after-ms", "250", "retry-after", "9")), clock))
        .contains(Duration.ofMillis(250));
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after-ms", "0.5")), clock))
        .contains(Duration.ofNanos(500_000));
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", " 2 ")), clock))
        .contains(Duration.ofSeconds(2));
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "1.5")), clock))
        .contains(Duration.ofMillis(1500));
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "0")), clock))
        .contains(Duration.ZERO);
    assertThat(OpenAiErrors.retryAfter(NO_HEADERS, clock)).isEmpty();
  }

  @Test
  void retryAfter_httpDate_measuredFromTheClock() {
    // the clock reads 2026-01-01T00:00:00Z; the date is 90 s later
    assertThat(
            OpenAiErrors.retryAfter(
                headers(Map.of("retry-after", "Thu, 01 Jan 2026 00:01:30 GMT")), clock))
        .contains(Duration.ofSeconds(90));
    // a date in the past means no wait
    assertThat(
            OpenAiErrors.retryAfter(
                headers(Map.of("retry-after", "Wed, 31 Dec 2025 23:59:00 GMT")), clock))
        .contains(Duration.ZERO);
    clock.advance(Duration.ofSeconds(30));
    assertThat(
            OpenAiErrors.retryAfter(
                headers(Map.of("retry-after", "Thu, 01 Jan 2026 00:01:30 GMT")), clock))
        .contains(Duration.ofSeconds(60));
  }

  @Test
  void retryAfter_unusable_ignored() {
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "soon")), clock)).isEmpty();
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "-5")), clock)).isEmpty();
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "NaN")), clock)).isEmpty();
    assertThat(OpenAiErrors.retryAfter(headers(Map.of("retry-after", "Infinity")), clock))
        .isEmpty();
    // a bad millisecond value falls back to the seconds header
    assertThat(
            OpenAiErrors.retryAfter(
                headers(Map.of("retry-after-ms", "x", "retry-after", "3")), clock))
        .contains(Duration.ofSeconds(3));
    assertThat(Instant.parse("2026-01-01T00:00:00Z")).isEqualTo(new ManualTimeSource().instant());
  }

  // ---- errors inside streams ----

  @Test
  void fromStreamError_llamaBareObject_numericCodeIsTheStatus() {
    // the error line of llama-server/noctxshift_error_max_tokens_over_context_stream
    ProviderException e =
        errors.fromStreamError(
            "m",
            "{\"code\":500,\"message\":\"context shift is disabled\",\"type\":\"server_error\"}");

    assertThat(e).isInstanceOf(ProviderException.ContextLengthExceeded.class);
    assertThat(e.getMessage())
        .isEqualTo("error inside the stream server_error: context shift is disabled");
  }

  @Test
  void fromStreamError_numericCodes_mapLikeStatuses() {
    assertThat(errors.fromStreamError("m", "{\"code\":401,\"message\":\"no\"}"))
        .isInstanceOf(ProviderException.Authentication.class);
    assertThat(
            errors.fromStreamError(
                "m", "{\"error\":{\"code\":400,\"message\":\"Token limit reached\"}}"))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("error inside the stream: Token limit reached");
    // no code: the server failed
    assertThat(
            errors.fromStreamError(
                "m", "{\"message\":\"The server had an error\",\"type\":\"server_error\"}"))
        .isInstanceOf(ProviderException.Unavailable.class);
    // a textual code is no status
    assertThat(errors.fromStreamError("m", "{\"code\":\"429\",\"message\":\"x\"}"))
        .isInstanceOf(ProviderException.Unavailable.class);
    assertThat(errors.fromStreamError("m", "not json"))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("error inside the stream: not json");
  }

  // ---- failures on the way ----

  @Test
  void fromFailure_byKind() {
    assertThat(
            errors.fromFailure("m", "POST chat/completions", new HttpConnectTimeoutException("t")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("POST chat/completions: could not connect in time");
    assertThat(errors.fromFailure("m", "GET models", new HttpTimeoutException("request timed out")))
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("GET models: no response in time");
    assertThat(errors.fromFailure("m", "GET models", new ConnectException("Connection refused")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("GET models: could not connect (Connection refused)");
    assertThat(errors.fromFailure("m", "stream", new SocketException("Connection reset")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("stream: connection failed (Connection reset)");
    assertThat(errors.fromFailure("m", "stream", new IOException("Bearer sk-abc-123456 leaked")))
        .hasMessage("stream: connection failed (Bearer [redacted] leaked)");
    assertThat(errors.fromFailure("m", "x", new InterruptedException()))
        .isInstanceOf(ProviderException.Cancelled.class)
        .hasMessage("x: interrupted");
    assertThat(errors.fromFailure(null, "x", new IllegalStateException("odd")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("x: failed (odd)");
    assertThat(errors.fromFailure(null, "x", new IllegalStateException("odd")).modelId()).isEmpty();
  }

  @Test
  void fromFailure_withoutAMessage_namesTheCausesOrTheKind_neverNull() {
    // the JDK's HttpClient throws a ConnectException without a message around the socket's one
    ConnectException wrapped = new ConnectException();
    wrapped.initCause(new ConnectException("Connection refused"));

    assertThat(errors.fromFailure("m", "GET models to 127.0.0.1:1", wrapped))
        .hasMessage("GET models to 127.0.0.1:1: could not connect (Connection refused)");
    assertThat(errors.fromFailure("m", "GET models to 127.0.0.1:1", new ConnectException()))
        .hasMessage("GET models to 127.0.0.1:1: could not connect (ConnectException)");
    assertThat(errors.fromFailure("m", "stream", new IOException(" ")))
        .hasMessage("stream: connection failed (IOException)");
  }

  // ---- error payloads written after each server's documented or recorded shape ----

  static Stream<Arguments> handWrittenLlamaServerErrors() {
    return Stream.of(
        // llama.cpp started with --api-key, asked without or with another key
        Arguments.of(
            401,
            "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\","
                + "\"type\":\"authentication_error\"}}",
            ErrorClass.AUTHENTICATION),
        // --no-context-shift: a prompt over the window, then max_tokens over it
        Arguments.of(
            400,
            "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context"
                + " size. try increasing the context size or enable context shift\","
                + "\"type\":\"invalid_request_error\",\"n_prompt_tokens\":5120,\"n_ctx\":4096}}",
            ErrorClass.CONTEXT_LENGTH_EXCEEDED),
        Arguments.of(
            500,
            "{\"error\":{\"code\":500,\"message\":\"context shift is disabled\","
                + "\"type\":\"server_error\"}}",
            ErrorClass.CONTEXT_LENGTH_EXCEEDED),
        // an endpoint the server was not started with
        Arguments.of(
            501,
            "{\"error\":{\"code\":501,\"message\":\"This server does not support embeddings."
                + " Start it with `--embeddings`\",\"type\":\"not_supported_error\"}}",
            ErrorClass.UNAVAILABLE),
        // its JSON parser's exceptions, reported as 500: a body that is no JSON, a missing field
        Arguments.of(
            500,
            "{\"error\":{\"code\":500,\"message\":\"[json.exception.parse_error.101] parse"
                + " error at line 1, column 9: syntax error while parsing value - invalid literal;"
                + " last read: '{nope'\",\"type\":\"server_error\"}}",
            ErrorClass.INVALID_REQUEST),
        Arguments.of(
            500,
            "{\"error\":{\"code\":500,\"message\":\"[json.exception.type_error.302] type must"
                + " be array, but is string\",\"type\":\"server_error\"}}",
            ErrorClass.INVALID_REQUEST),
        // a path it does not serve: the base URL is wrong, no model is missing
        Arguments.of(
            404,
            "{\"error\":{\"code\":404,\"message\":\"File Not Found\","
                + "\"type\":\"not_found_error\"}}",
            ErrorClass.UNAVAILABLE));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("handWrittenLlamaServerErrors")
  void fromResponse_handWrittenLlamaServerErrors(int status, String body, ErrorClass expected) {
    assertThat(response(status, body).errorClass()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource({
    "openai-compatible, error_401_invalid_api_key, 401, AUTHENTICATION",
    "openai-compatible, error_404_model_not_found, 404, MODEL_NOT_FOUND",
    "openai-compatible, error_429_rate_limit_exceeded, 429, RATE_LIMITED",
    "openrouter, error_429_rate_limited, 429, RATE_LIMITED",
    "openrouter, error_401_no_auth, 401, AUTHENTICATION",
    "openrouter, error_402_insufficient_credits, 402, RATE_LIMITED",
    "lmstudio, error_404_model_not_found, 404, MODEL_NOT_FOUND",
  })
  void fromResponse_handWrittenBodies(
      String provider, String name, int status, ErrorClass expected) {
    RecordedResponse written =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/" + provider)
            .exchange(name)
            .response();

    assertThat(written.status()).isEqualTo(status);
    assertThat(errors.fromResponse("m", status, written::header, written.bodyText()).errorClass())
        .isEqualTo(expected);
  }

  /** Ollama's OpenAI-compatible path: the error object with a null code, the model in the text. */
  @Test
  void fromResponse_handWrittenOllamaV1ModelNotFound() {
    assertThat(
            response(
                    404,
                    "{\"error\":{\"message\":\"model \\\"qwen3:4b\\\" not found, try pulling it"
                        + " first\",\"type\":\"api_error\",\"param\":null,\"code\":null}}")
                .errorClass())
        .isEqualTo(ErrorClass.MODEL_NOT_FOUND);
  }

  // ---- every recorded error payload ----

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "noctxshift_error_missing_api_key, AUTHENTICATION",
    "noctxshift_error_wrong_api_key, AUTHENTICATION",
    "noctxshift_error_prompt_over_context, CONTEXT_LENGTH_EXCEEDED",
    "noctxshift_error_max_tokens_over_context, CONTEXT_LENGTH_EXCEEDED",
    "noctxshift_error_metrics_disabled, UNAVAILABLE",
    "error_malformed_json, INVALID_REQUEST",
    "error_missing_messages, INVALID_REQUEST",
    "error_unknown_path, UNAVAILABLE",
  })
  void fromResponse_recordedLlamaServerErrors(String name, ErrorClass expected) {
    RecordedResponse recorded = FixtureSet.shared("llama-server").exchange(name).response();

    ProviderException e =
        errors.fromResponse("m", recorded.status(), recorded::header, recorded.bodyText());

    assertThat(e.errorClass()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ({1}) -> {2}")
  @CsvSource({
    "openai, error_401_invalid_api_key.json, 401, AUTHENTICATION",
    "openai, error_404_model_not_found.json, 404, MODEL_NOT_FOUND",
    "openai, error_429_insufficient_quota.transcribed.json, 429, RATE_LIMITED",
    "openrouter, error_429_provider_rate_limited.json, 429, RATE_LIMITED",
    "openrouter, error_401_no_auth.transcribed.json, 401, AUTHENTICATION",
    "ollama, v1_error_404_model_not_found.assembled.json, 404, MODEL_NOT_FOUND",
  })
  void fromResponse_recordedBodies(String provider, String file, int status, ErrorClass expected) {
    String body =
        new String(
            FixtureSet.shared(provider).bytes(file), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(response(status, body).errorClass()).isEqualTo(expected);
  }
}
