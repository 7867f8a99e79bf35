package dev.tta.models.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.OversizedAnswerException;
import dev.tta.models.providers.http.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what an OpenAI-compatible server reports as a failure to the one {@link ProviderException}
 * the fallback logic switches on. Shared by every provider that speaks this API. The rules, first
 * match wins:
 *
 * <ol>
 *   <li>context length: code or type {@code context_length_exceeded}, or a message about the
 *       context (llama.cpp's {@code exceeds the available context size} and {@code context shift is
 *       disabled}) &rarr; {@link ProviderException.ContextLengthExceeded}
 *   <li>code or type {@code content_policy_violation} or {@code content_filter} &rarr; {@link
 *       ProviderException.ContentFiltered}
 *   <li>code or type {@code invalid_api_key}, {@code authentication_error}, {@code
 *       permission_error}, or status 401 or 403 &rarr; {@link ProviderException.Authentication}
 *   <li>code {@code model_not_found}, or status 404 with a message about a model &rarr; {@link
 *       ProviderException.ModelNotFound}
 *   <li>code or type {@code insufficient_quota}, {@code rate_limit_exceeded}, {@code
 *       rate_limit_error}, or status 429 or 402 &rarr; {@link ProviderException.RateLimited}, with
 *       the wait from {@code retry-after-ms} or {@code Retry-After} when sent
 *   <li>status 408 or 504 &rarr; {@link ProviderException.Timeout}
 *   <li>status 500 whose message is a JSON parser's exception (llama.cpp answers bad input so)
 *       &rarr; {@link ProviderException.InvalidRequest}
 *   <li>any other 4xx but 404 &rarr; {@link ProviderException.InvalidRequest}
 *   <li>everything else (5xx, a 404 for the endpoint itself, an error with no status) &rarr; {@link
 *       ProviderException.Unavailable}
 * </ol>
 *
 * Messages are redacted: servers echo keys back.
 */
public final class OpenAiErrors {

  /** The longest server message kept in an exception message. */
  public static final int MAX_MESSAGE_LENGTH = 500;

  private static final Pattern CONTEXT_MESSAGE =
      Pattern.compile(
          "context length|context_length|context size|context window|maximum context"
              + "|context shift is disabled");
  private static final Pattern CONTEXT_LIMIT =
      Pattern.compile("maximum context length is (\\d{1,9}) tokens");
  private static final String JSON_PARSER_EXCEPTION = "[json.exception.";

  private final ProviderId provider;
  private final Redactor redactor;
  private final InstantSource clock;
  private final ObjectMapper mapper;

  public OpenAiErrors(ProviderId provider, Redactor redactor, InstantSource clock) {
    this.provider = Checks.notNull(provider, "provider");
    this.redactor = Checks.notNull(redactor, "redactor");
    this.clock = Checks.notNull(clock, "clock");
    this.mapper = OpenAiJson.mapper();
  }

  /**
   * An error response.
   *
   * @param modelId the model the call was for, or null for provider-wide calls
   * @param status the HTTP status, 400 or above
   * @param headers the response headers by name (case-insensitive)
   * @param body the response body as text
   */
  public ProviderException fromResponse(
      String modelId, int status, Function<String, Optional<String>> headers, String body) {
    WireError error = parse(body);
    ErrorClass errorClass = classify(status, error);
    String message = "HTTP " + status + describe(error);
    if (status == 404 && errorClass == ErrorClass.UNAVAILABLE) {
      message += " (no such endpoint: check base_url)";
    }
    return build(errorClass, modelId, message, error, headers);
  }

  /**
   * An error reported inside an HTTP 200 stream.
   *
   * @param errorJson the error object as sent: a bare object, or one wrapped in {@code {"error":
   *     ...}}; its numeric {@code code}, when present, is taken as the status
   */
  public ProviderException fromStreamError(String modelId, String errorJson) {
    WireError error = parse(errorJson);
    int status = error.numericCode().orElse(0);
    ErrorClass errorClass = classify(status, error);
    return build(
        errorClass,
        modelId,
        "error inside the stream" + describe(error),
        error,
        name -> Optional.empty());
  }

  /**
   * A call that failed before or while the response arrived.
   *
   * @param operation what was being done, for the message ({@code POST chat/completions})
   */
  public ProviderException fromFailure(String modelId, String operation, Throwable failure) {
    String detail = redactor.redact(reason(failure));
    return switch (failure) {
      case HttpConnectTimeoutException e ->
          new ProviderException.Unavailable(
              provider, modelId, operation + ": could not connect in time", e);
      case HttpTimeoutException e ->
          new ProviderException.Timeout(provider, modelId, operation + ": no response in time", e);
      case ConnectException e ->
          new ProviderException.Unavailable(
              provider, modelId, operation + ": could not connect (" + detail + ")", e);
      case InterruptedException e ->
          new ProviderException.Cancelled(provider, modelId, operation + ": interrupted", e);
      case OversizedAnswerException e ->
          new ProviderException.Unavailable(provider, modelId, operation + ": " + detail, e);
      case IOException e ->
          new ProviderException.Unavailable(
              provider, modelId, operation + ": connection failed (" + detail + ")", e);
      default ->
          new ProviderException.Unavailable(
              provider, modelId, operation + ": failed (" + detail + ")", failure);
    };
  }

  /**
   * What went wrong, in words: the first message along the cause chain (the JDK's connection
   * failures often carry theirs only on a cause), else the failure's kind.
   */
  public static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }

  /** The error class for a status (0 when unknown) and what the server said. */
  static ErrorClass classify(int status, WireError error) {
    String message = error.message().toLowerCase(Locale.ROOT);
    if (named(error, "context_length_exceeded") || CONTEXT_MESSAGE.matcher(message).find()) {
      return ErrorClass.CONTEXT_LENGTH_EXCEEDED;
    }
    if (named(error, "content_policy_violation") || named(error, "content_filter")) {
      return ErrorClass.CONTENT_FILTERED;
    }
    if (named(error, "invalid_api_key")
        || named(error, "authentication_error")
        || named(error, "permission_error")
        || status == 401
        || status == 403) {
      return ErrorClass.AUTHENTICATION;
    }
    if (named(error, "model_not_found") || status == 404 && message.contains("model")) {
      return ErrorClass.MODEL_NOT_FOUND;
    }
    if (named(error, "insufficient_quota")
        || named(error, "rate_limit_exceeded")
        || named(error, "rate_limit_error")
        || status == 429
        || status == 402) {
      return ErrorClass.RATE_LIMITED;
    }
    if (status == 408 || status == 504) {
      return ErrorClass.TIMEOUT;
    }
    if (status == 500 && message.startsWith(JSON_PARSER_EXCEPTION)) {
      return ErrorClass.INVALID_REQUEST;
    }
    if (status >= 400 && status < 500 && status != 404) {
      return ErrorClass.INVALID_REQUEST;
    }
    return ErrorClass.UNAVAILABLE;
  }

  /**
   * How long the server asked the caller to wait: {@code retry-after-ms} (milliseconds, OpenAI),
   * else {@code Retry-After} as seconds or as an HTTP date (measured from {@code clock}). A date in
   * the past means no wait; a value that is neither is ignored.
   */
  public static Optional<Duration> retryAfter(
      Function<String, Optional<String>> headers, InstantSource clock) {
    Optional<Double> millis = headers.apply("retry-after-ms").flatMap(OpenAiErrors::number);
    if (millis.isPresent()) {
      return Optional.of(Duration.ofNanos(Math.round(millis.get() * 1_000_000)));
    }
    Optional<String> value = headers.apply("retry-after").map(String::strip);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<Double> seconds = number(value.get());
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofMillis(Math.round(seconds.get() * 1000)));
    }
    try {
      Instant at =
          ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Double> number(String text) {
    try {
      double value = Double.parseDouble(text.strip());
      return Double.isFinite(value) && value >= 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean named(WireError error, String name) {
    return error.code().equals(name) || error.type().equals(name);
  }

  private WireError parse(String body) {
    try {
      JsonNode tree = mapper.readTree(body == null ? "" : body);
      return tree.isObject() ? WireError.fromTree(tree) : WireError.fromText(body);
    } catch (IOException e) {
      return WireError.fromText(body);
    }
  }

  private String describe(WireError error) {
    String label = !error.code().isEmpty() ? error.code() : error.type();
    String text = error.message();
    if (text.length() > MAX_MESSAGE_LENGTH) {
      text = text.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
    return (label.isEmpty() ? "" : " " + label) + (text.isEmpty() ? "" : ": " + text);
  }

  private ProviderException build(
      ErrorClass errorClass,
      String modelId,
      String message,
      WireError error,
      Function<String, Optional<String>> headers) {
    String text = redactor.redact(message);
    return switch (errorClass) {
      case CONTEXT_LENGTH_EXCEEDED ->
          new ProviderException.ContextLengthExceeded(
              provider, modelId, text, contextLimit(error.message()), null);
      case CONTENT_FILTERED ->
          new ProviderException.ContentFiltered(
              provider, modelId, text, redactor.redact(error.message()), null);
      case AUTHENTICATION -> new ProviderException.Authentication(provider, modelId, text, null);
      case MODEL_NOT_FOUND -> new ProviderException.ModelNotFound(provider, modelId, text, null);
      case RATE_LIMITED ->
          new ProviderException.RateLimited(
              provider, modelId, text, retryAfter(headers, clock).orElse(null), null);
      case TIMEOUT -> new ProviderException.Timeout(provider, modelId, text, null);
      case INVALID_REQUEST -> new ProviderException.InvalidRequest(provider, modelId, text, null);
      case UNAVAILABLE, CANCELLED ->
          new ProviderException.Unavailable(provider, modelId, text, null);
    };
  }

  private static Integer contextLimit(String message) {
    Matcher matcher = CONTEXT_LIMIT.matcher(message);
    return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
  }
}
