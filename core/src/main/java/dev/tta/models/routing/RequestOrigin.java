package dev.tta.models.routing;

import dev.tta.models.internal.Checks;
import java.util.Optional;

/**
 * Who asked for a request and how, carried into every call's record so that a history can say which
 * request a call belonged to and whose spend it was. Never a credential: a client is named by its
 * key's name.
 *
 * @param requestId the caller's id for the request (the gateway's completion id); empty when none
 * @param route what the caller asked for: a route, {@code auto}, or a model key; empty when none
 * @param client the name of the API key the request came with; empty without one
 */
public record RequestOrigin(String requestId, String route, Optional<String> client) {

  /** A request from a library caller that names nothing. */
  public static final RequestOrigin UNNAMED = new RequestOrigin("", "", Optional.empty());

  public RequestOrigin {
    Checks.notNull(requestId, "request_id");
    Checks.notNull(route, "route");
    Checks.notNull(client, "client");
  }
}
