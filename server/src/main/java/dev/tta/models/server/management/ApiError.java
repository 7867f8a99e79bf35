package dev.tta.models.server.management;

/**
 * A request the API answers with an error instead of a result, in the OpenAI error shape; {@code
 * param} names the request field at fault, or is null when no single field is.
 */
final class ApiError extends RuntimeException {

  @java.io.Serial private static final long serialVersionUID = 1L;

  final int status;
  final String type;
  final String param;
  final String code;

  ApiError(int status, String type, String param, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static ApiError badRequest(String param, String message) {
    return new ApiError(400, "invalid_request_error", param, "invalid_value", message);
  }

  static ApiError notFound(String param, String code, String message) {
    return new ApiError(404, "invalid_request_error", param, code, message);
  }
}
