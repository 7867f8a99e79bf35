package dev.tta.models.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code telemetry}: where the gateway sends its traces. Without {@code otlp_endpoint} no trace is
 * made at all.
 *
 * @param otlpEndpoint {@code otlp_endpoint}: an OTLP/HTTP collector, such as {@code
 *     http://127.0.0.1:4318}; spans go to its {@code /v1/traces} (a URL already ending so is taken
 *     as it is)
 * @param serviceName {@code service_name}: the resource's {@code service.name}
 * @param headers {@code headers}: sent with every export (a collector's key, say); never logged
 * @param exportTimeout {@code export_timeout}: how long one export may take
 */
public record TelemetrySettings(
    Optional<URI> otlpEndpoint,
    String serviceName,
    Map<String, String> headers,
    Duration exportTimeout) {

  public static final String DEFAULT_SERVICE_NAME = "mm-gateway";
  public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);
  static final String TRACES_PATH = "/v1/traces";

  public TelemetrySettings {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** Tracing off. */
  public static TelemetrySettings off() {
    return new TelemetrySettings(
        Optional.empty(), DEFAULT_SERVICE_NAME, Map.of(), DEFAULT_EXPORT_TIMEOUT);
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }

  /** Where spans are posted: the endpoint's {@code /v1/traces}. */
  public Optional<URI> tracesUrl() {
    return otlpEndpoint.map(
        url -> {
          String text = url.toString();
          if (text.endsWith(TRACES_PATH)) {
            return url;
          }
          return URI.create(
              (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + TRACES_PATH);
        });
  }

  /** The header names only: their values may be keys. */
  @Override
  public String toString() {
    return "TelemetrySettings[otlpEndpoint="
        + otlpEndpoint.map(URI::toString).orElse("none")
        + ", serviceName="
        + serviceName
        + ", headers="
        + headers.keySet()
        + ", exportTimeout="
        + exportTimeout
        + "]";
  }
}
