package dev.tta.models.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.ReplayPeer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces over the wire: the gateway configured with {@code telemetry.otlp_endpoint} pointing at an
 * OTLP/HTTP receiver started here on loopback, which decodes what it is sent with the protocol's
 * own message classes.
 */
class OtlpExportTest {

  @TempDir Path dataDir;

  private record Received(String path, String contentType, String key, byte[] body) {}

  private static Map<String, AnyValue> attributes(List<KeyValue> values) {
    return values.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void spansReachTheCollector_withTheGenAiAttributes_theServiceName_andTheConfiguredHeader()
      throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("x-collector-key"),
                  exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try (ReplayPeer peer = ReplayPeer.start()) {
      RecordedOpenAiCompatible.serveModelsAndChat(peer);
      String yaml =
          """
          server: {host: 127.0.0.1, port: 0}
          data_dir: %s
          providers:
            - {name: upstream, type: custom_api, base_url: "%s/v1"}
          telemetry:
            otlp_endpoint: http://127.0.0.1:%d
            service_name: mm-wire-test
            headers: {x-collector-key: collector-key-1}
          """
              .formatted(dataDir, peer.root(), collector.getAddress().getPort());
      GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "test.yaml", dataDir);
      GatewayServer server = GatewayServer.start(GatewayRuntime.start(config));
      try {
        HttpResponse<String> reply =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"upstream/gpt-4o-mini\","
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
      } finally {
        // stopping exports what is left
        server.close();
      }
    } finally {
      collector.stop(0);
    }

    assertThat(received).isNotEmpty();
    List<Span> spans = new java.util.ArrayList<>();
    for (Received export : received) {
      assertThat(export.path()).isEqualTo("/v1/traces");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      assertThat(export.key()).isEqualTo("collector-key-1");
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(export.body());
      request
          .getResourceSpansList()
          .forEach(
              resource -> {
                assertThat(attributes(resource.getResource().getAttributesList()))
                    .extractingByKey("service.name")
                    .extracting(AnyValue::getStringValue)
                    .isEqualTo("mm-wire-test");
                resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList()));
              });
    }
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("POST /v1/chat/completions", "chat gpt-4o-mini");
    Span request =
        spans.stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
            .findFirst()
            .orElseThrow();
    Span attempt =
        spans.stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
            .findFirst()
            .orElseThrow();
    Map<String, AnyValue> requestAttributes = attributes(request.getAttributesList());
    assertThat(requestAttributes.get("gen_ai.operation.name").getStringValue()).isEqualTo("chat");
    assertThat(requestAttributes.get("gen_ai.request.model").getStringValue())
        .isEqualTo("upstream/gpt-4o-mini");
    assertThat(requestAttributes.get("gen_ai.response.model").getStringValue())
        .isEqualTo("upstream/gpt-4o-mini");
    assertThat(requestAttributes.get("gen_ai.usage.input_tokens").getIntValue()).isEqualTo(19);
    assertThat(requestAttributes.get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(10);
    assertThat(requestAttributes.get("mm.routing.candidates").getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue)
        .containsExactly("upstream/gpt-4o-mini");
    Map<String, AnyValue> attemptAttributes = attributes(attempt.getAttributesList());
    assertThat(attemptAttributes.get("gen_ai.provider.name").getStringValue())
        .isEqualTo("upstream");
    assertThat(attemptAttributes.get("gen_ai.request.model").getStringValue())
        .isEqualTo("gpt-4o-mini");
    assertThat(attemptAttributes.get("gen_ai.response.model").getStringValue())
        .isEqualTo("gpt-4o-mini");
    assertThat(attemptAttributes.get("gen_ai.usage.output_tokens").getIntValue()).isEqualTo(10);
    assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
    assertThat(attempt.getTraceId()).isEqualTo(request.getTraceId());
  }
}
