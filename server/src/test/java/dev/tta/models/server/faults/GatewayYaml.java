package dev.tta.models.server.faults;

import dev.tta.models.testkit.faults.FaultyUpstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a gateway in front of {@link FaultyUpstream}s, with limits short enough that
 * a fault costs a test well under a second: first token and stall 300 ms, a whole answer 1 s,
 * retries after 20 ms without jitter, a circuit that probes again after 300 ms, a request deadline
 * of 5 s. Each provider is a {@code custom_api} on one upstream; its models are written in the
 * configuration as well as listed by the upstream.
 */
final class GatewayYaml {

  static final String FIRST_TOKEN = "300ms";
  static final String STALL = "300ms";
  static final String RESPONSE = "1s";

  private final List<String> providers = new ArrayList<>();
  private final List<String> fallbacks = new ArrayList<>();
  private final List<String> routes = new ArrayList<>();
  private final Map<String, String> fallback = new LinkedHashMap<>();
  private final Map<String, String> circuitBreaker = new LinkedHashMap<>();
  private String timeouts =
      "{connect: 1s, first_token: %s, stall: %s, response: %s}"
          .formatted(FIRST_TOKEN, STALL, RESPONSE);

  GatewayYaml() {
    fallback.put("max_attempts", "5");
    fallback.put("max_retries_per_model", "2");
    fallback.put("backoff_base", "20ms");
    fallback.put("backoff_max", "200ms");
    fallback.put("jitter", "0");
    fallback.put("max_retry_after", "2s");
    fallback.put("request_deadline", "5s");
    fallback.put("fast_failure_limit", "1s");
    circuitBreaker.put("wait_in_open_state", "300ms");
    circuitBreaker.put("max_wait_in_open_state", "1s");
  }

  /**
   * A provider named {@code name} on {@code upstream}, with these model entries (YAML flow mappings
   * such as {@code {id: m, context_length: 4096}}).
   */
  GatewayYaml provider(String name, FaultyUpstream upstream, String... models) {
    StringBuilder entry =
        new StringBuilder()
            .append("  - name: ")
            .append(name)
            .append("\n    type: custom_api\n    base_url: http://127.0.0.1:")
            .append(upstream.port())
            .append("/v1\n    timeouts: ")
            .append(timeouts)
            .append("\n    models:\n");
    for (String model : models) {
      entry.append("      - ").append(model).append('\n');
    }
    providers.add(entry.toString());
    return this;
  }

  /** The per-provider limits of the providers added after this call. */
  GatewayYaml timeouts(String flowMapping) {
    timeouts = flowMapping;
    return this;
  }

  /** Where {@code model} goes when it fails, in order. */
  GatewayYaml fallbacks(String model, String... to) {
    fallbacks.add("  " + model + ": [" + String.join(", ", to) + "]\n");
    return this;
  }

  /** A route: its name and its YAML flow mapping. */
  GatewayYaml route(String name, String flowMapping) {
    routes.add("  " + name + ": " + flowMapping + "\n");
    return this;
  }

  /** One key of the {@code fallback} section, over the defaults above. */
  GatewayYaml fallback(String key, String value) {
    fallback.put(key, value);
    return this;
  }

  /** One key of the {@code circuit_breaker} section, over the defaults above. */
  GatewayYaml circuitBreaker(String key, String value) {
    circuitBreaker.put(key, value);
    return this;
  }

  String render(Path dataDir) {
    StringBuilder yaml =
        new StringBuilder()
            .append("server: {host: 127.0.0.1, port: 0, shutdown_timeout: 1s}\n")
            .append("data_dir: ")
            .append(dataDir)
            .append("\nproviders:\n");
    providers.forEach(yaml::append);
    if (!fallbacks.isEmpty()) {
      yaml.append("fallbacks:\n");
      fallbacks.forEach(yaml::append);
    }
    if (!routes.isEmpty()) {
      yaml.append("routes:\n");
      routes.forEach(yaml::append);
    }
    yaml.append("fallback: ").append(flow(fallback)).append('\n');
    yaml.append("circuit_breaker: ").append(flow(circuitBreaker)).append('\n');
    return yaml.toString();
  }

  private static String flow(Map<String, String> keys) {
    List<String> pairs = new ArrayList<>();
    keys.forEach((key, value) -> pairs.add(key + ": " + value));
    return "{" + String.join(", ", pairs) + "}";
  }
}
