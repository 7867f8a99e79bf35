package dev.tta.models.server.config;

import dev.tta.models.routing.AttemptTimeouts;
import java.util.Set;

/**
 * Reads a {@code timeouts} mapping, of a provider or of a route: {@code first_token}, {@code stall}
 * and {@code response}, each a duration or {@code none}. A provider's may also hold {@code
 * connect}, which its connection reads: connections belong to a provider, so a route bounds the
 * time to connect through its {@code first_token} and {@code response} instead.
 */
final class TimeoutsSection {

  private static final Set<String> KEYS = Set.of("connect", "first_token", "stall", "response");

  private TimeoutsSection() {}

  /** A provider's; its {@code connect} is read with its connection. */
  static AttemptTimeouts provider(ConfigNode node) {
    return read(node);
  }

  /** A route's; {@code connect} is refused with the reason. */
  static AttemptTimeouts route(ConfigNode node) {
    if (node.get("connect").isPresent()) {
      node.get("connect")
          .problem(
              "is set per provider (connections belong to a provider); a route bounds connecting"
                  + " through first_token and response");
    }
    return read(node);
  }

  private static AttemptTimeouts read(ConfigNode node) {
    if (!node.isPresent() || !node.isMapping()) {
      return AttemptTimeouts.INHERIT;
    }
    node.allowOnly(KEYS);
    return new AttemptTimeouts(
        node.get("first_token").limit(), node.get("stall").limit(), node.get("response").limit());
  }
}
