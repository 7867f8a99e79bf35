package dev.tta.models.server.telemetry;

import dev.tta.models.routing.RoutingListener;
import dev.tta.models.server.config.TelemetrySettings;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The gateway's traces: a span per request and a child per attempt, or nothing at all. Off (no
 * {@code telemetry.otlp_endpoint}), a request costs one call that returns {@link RequestSpan#NONE}
 * and routing events reach no tracing listener.
 */
public interface GatewayTracing extends AutoCloseable {

  GatewayTracing OFF =
      new GatewayTracing() {
        @Override
        public RequestSpan request(String method, String path, String requestedModel) {
          return RequestSpan.NONE;
        }

        @Override
        public RoutingListener listener() {
          return RoutingListener.NONE;
        }

        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /**
   * Starts a request's span and makes it current on this thread.
   *
   * @param requestedModel what the client asked for: a model key, a route name or {@code auto}
   */
  RequestSpan request(String method, String path, String requestedModel);

  /** Turns the routing events of the current request into its attempt spans and attributes. */
  RoutingListener listener();

  boolean enabled();

  /** Exports the spans ended so far, waiting for it. */
  void flush();

  /** Exports what is left and stops. */
  @Override
  void close();

  /** OTLP over HTTP when the settings name an endpoint, else {@link #OFF}. */
  static GatewayTracing start(TelemetrySettings settings) {
    if (settings.tracesUrl().isEmpty()) {
      return OFF;
    }
    OtlpHttpSpanExporterBuilder exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.tracesUrl().get().toString())
            .setTimeout(settings.exportTimeout());
    settings.headers().forEach(exporter::addHeader);
    return withExporter(settings.serviceName(), exporter.build());
  }

  /** Traces exported by {@code exporter} (a test's in-memory one, say), in batches. */
  static GatewayTracing withExporter(String serviceName, SpanExporter exporter) {
    return new OtelTracing(serviceName, exporter);
  }
}
