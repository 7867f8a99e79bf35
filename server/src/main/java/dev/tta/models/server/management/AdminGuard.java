package dev.tta.models.server.management;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * Decides whether a request may change the gateway's state (load, unload, reset, filter, test). The
 * gateway's authentication implements it with the admin key; the management API only asks.
 */
@FunctionalInterface
public interface AdminGuard {

  /** Empty when the request may go on; otherwise why not, as the response to send. */
  Optional<Denial> check(Context request);

  /**
   * A refusal: 401 when no valid key was presented, 403 when the key is valid but not the admin's.
   *
   * @param code the OpenAI-style error code, e.g. {@code invalid_api_key}
   */
  record Denial(int status, String message, String code) {}
}
