package dev.tta.models.server.telemetry;

import dev.tta.models.routing.RoutingListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/** {@link GatewayTracing} on the OpenTelemetry SDK, exporting in batches off the request path. */
final class OtelTracing implements GatewayTracing {

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final long SHUTDOWN_SECONDS = 10;

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final RoutingListener listener;

  OtelTracing(String serviceName, SpanExporter exporter) {
    this.provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    this.tracer = provider.get("dev.tta.models.server");
    this.listener =
        event -> {
          OtelRequest request = Context.current().get(OtelRequest.KEY);
          if (request != null) {
            request.on(event);
          }
        };
  }

  @Override
  public RequestSpan request(String method, String path, String requestedModel) {
    Span span =
        tracer
            .spanBuilder(method + " " + path)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(GenAi.HTTP_METHOD, method)
            .setAttribute(GenAi.HTTP_ROUTE, path)
            .setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT)
            .setAttribute(GenAi.REQUEST_MODEL, requestedModel)
            .startSpan();
    return new OtelRequest(tracer, span);
  }

  @Override
  public RoutingListener listener() {
    return listener;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void flush() {
    provider.forceFlush().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
  }
}
