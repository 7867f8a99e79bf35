package dev.tta.models.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the contract suite wants a provider pointed, and how it must be configured.
 *
 * @param root the server root ({@code http://127.0.0.1:<port>}), without the API's own path
 * @param apiKey the key to configure, when the case needs one
 * @param healthTimeout the health-check timeout to configure
 */
public record ProviderTarget(URI root, Optional<String> apiKey, Duration healthTimeout) {

  public ProviderTarget {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(healthTimeout, "healthTimeout");
  }

  /** The root with a path appended: {@code target.url("/v1")}. */
  public URI url(String path) {
    return URI.create(root + path);
  }
}
