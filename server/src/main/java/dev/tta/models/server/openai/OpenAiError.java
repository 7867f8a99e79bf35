package dev.tta.models.server.openai;

import java.io.Serial;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An answer in OpenAI's error shape ({@code {"error":{"message","type","param","code"}}}) with its
 * HTTP status. Thrown by request handling and turned into a response in one place; {@code param}
 * names the request field at fault, or is null when no single field is.
 */
public final class OpenAiError extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final Duration retryAfter;

  public OpenAiError(int status, String type, String param, String code, String message) {
    this(status, type, param, code, message, null);
  }

  private OpenAiError(
      int status, String type, String param, String code, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The same error, telling the client when to try again ({@code Retry-After}). */
  public OpenAiError withRetryAfter(Duration retryAfter) {
    return new OpenAiError(status, type, param, code, getMessage(), retryAfter);
  }

  /** When the client may try again, for the {@code Retry-After} header; empty when unknown. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public static OpenAiError invalid(String param, String message) {
    return new OpenAiError(400, "invalid_request_error", param, "invalid_value", message);
  }

  public static OpenAiError missing(String param) {
    return new OpenAiError(
        400, "invalid_request_error", param, "missing_required_parameter", param + ": is required");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }

  /** The JSON body. */
  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return Map.of("error", error);
  }
}
