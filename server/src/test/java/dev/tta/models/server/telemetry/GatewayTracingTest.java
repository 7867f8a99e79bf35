package dev.tta.models.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.server.runtime.RuntimeOptions;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.servers.RefusingPort;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spans of gateway requests, read from the SDK's in-memory exporter: a replayed upstream that
 * answers with the testkit fixture (19 prompt and 10 completion tokens) and a provider on a closed
 * port, so that the route {@code story} (dead/tiny, then upstream/gpt-4o-mini) fails over once.
 */
class GatewayTracingTest {

  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;
  private static final String CHAT = "/v1/chat/completions";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  private ReplayPeer peer;
  private InMemorySpanExporter exporter;
  private GatewayTracing tracing;
  private GatewayServer server;
  private RefusingPort deadPort;

  @BeforeEach
  void start() throws IOException {
    peer = ReplayPeer.start();
    RecordedOpenAiCompatible.serveModelsAndChat(peer);
    deadPort = RefusingPort.open();
    String yaml =
        """
        server: {host: 127.0.0.1, port: 0}
        data_dir: %s
        providers:
          - name: upstream
            type: custom_api
            base_url: %s/v1
            models: [{id: gpt-4o-mini, therapeutic_safety_score: 9, performance_score: 8}]
          - name: dead
            type: custom_api
            base_url: http://127.0.0.1:%d/v1
            discover_models: false
            connect_timeout: 1s
            models: [{id: tiny, therapeutic_safety_score: 8, performance_score: 9}]
        routes:
          story: {models: [dead/tiny, upstream/gpt-4o-mini]}
          nowhere: {models: [dead/tiny]}
        fallback: {max_retries_per_model: 0}
        """
            .formatted(dataDir, peer.root(), deadPort.port());
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "test.yaml", dataDir);
    exporter = InMemorySpanExporter.create();
    tracing = GatewayTracing.withExporter("mm-test", exporter);
    server =
        GatewayServer.start(
            GatewayRuntime.start(config, RuntimeOptions.defaults().withTracing(tracing)));
  }

  @AfterEach
  void stop() {
    server.close();
    peer.close();
    deadPort.close();
  }

  private int chat(String body) throws Exception {
    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + CHAT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return reply.statusCode();
  }

  private List<SpanData> spans() {
    tracing.flush();
    return exporter.getFinishedSpanItems();
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  private static <T> T attribute(SpanData span, AttributeKey<T> key) {
    return span.getAttributes().get(key);
  }

  @Test
  void aRequestThatFellBack_isOneServerSpan_withAClientSpanPerAttempt() throws Exception {
    assertThat(chat("{\"model\":\"story\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo(200);

    List<SpanData> spans = spans();
    assertThat(spans).hasSize(3);
    SpanData request = named(spans, "POST /v1/chat/completions");
    SpanData dead = named(spans, "chat tiny");
    SpanData served = named(spans, "chat gpt-4o-mini");

    assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(request.getParentSpanContext().isValid()).isFalse();
    assertThat(attribute(request, GenAi.OPERATION_NAME)).isEqualTo("chat");
    assertThat(attribute(request, GenAi.REQUEST_MODEL)).isEqualTo("story");
    assertThat(attribute(request, GenAi.RESPONSE_MODEL)).isEqualTo("upstream/gpt-4o-mini");
    assertThat(attribute(request, GenAi.HTTP_STATUS)).isEqualTo(200L);
    assertThat(attribute(request, GenAi.INPUT_TOKENS)).isEqualTo(19L);
    assertThat(attribute(request, GenAi.OUTPUT_TOKENS)).isEqualTo(10L);
    assertThat(attribute(request, GenAi.ERROR_TYPE)).isNull();
    assertThat(attribute(request, GenAi.CANDIDATES))
        .containsExactly("dead/tiny", "upstream/gpt-4o-mini");
    assertThat(attribute(request, GenAi.FALLBACKS))
        .containsExactly("dead/tiny -> upstream/gpt-4o-mini (unavailable)");
    assertThat(attribute(request, GenAi.FALLBACK_REASON)).isEqualTo("unavailable");
    assertThat(attribute(request, GenAi.ATTEMPTS)).isEqualTo(2L);
    assertThat(attribute(request, GenAi.HEDGES)).isZero();
    assertThat(attribute(request, GenAi.CONTINUATIONS)).isZero();
    assertThat(request.getEvents()).extracting(e -> e.getName()).containsExactly("fallback");
    assertThat(request.getResource().getAttribute(OtelTracing.SERVICE_NAME)).isEqualTo("mm-test");

    for (SpanData attempt : List.of(dead, served)) {
      assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(attempt.getTraceId()).isEqualTo(request.getTraceId());
      assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(attribute(attempt, GenAi.OPERATION_NAME)).isEqualTo("chat");
    }
    assertThat(attribute(dead, GenAi.PROVIDER_NAME)).isEqualTo("dead");
    assertThat(attribute(dead, GenAi.REQUEST_MODEL)).isEqualTo("tiny");
    assertThat(attribute(dead, GenAi.ATTEMPT)).isEqualTo(1L);
    assertThat(attribute(dead, GenAi.ERROR_TYPE)).isEqualTo("unavailable");
    assertThat(dead.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(dead, GenAi.RESPONSE_MODEL)).isNull();

    assertThat(attribute(served, GenAi.PROVIDER_NAME)).isEqualTo("upstream");
    assertThat(attribute(served, GenAi.REQUEST_MODEL)).isEqualTo("gpt-4o-mini");
    assertThat(attribute(served, GenAi.RESPONSE_MODEL)).isEqualTo("gpt-4o-mini");
    assertThat(attribute(served, GenAi.ATTEMPT)).isEqualTo(2L);
    assertThat(attribute(served, GenAi.INPUT_TOKENS)).isEqualTo(19L);
    assertThat(attribute(served, GenAi.OUTPUT_TOKENS)).isEqualTo(10L);
    assertThat(attribute(served, GenAi.ERROR_TYPE)).isNull();
    assertThat(dead.getEndEpochNanos()).isLessThanOrEqualTo(served.getStartEpochNanos());
    assertThat(served.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());
  }

  @Test
  void aRequestThatNoModelServed_carriesTheErrorTypeAndWhy() throws Exception {
    assertThat(
            chat("{\"model\":\"nowhere\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo(503);

    List<SpanData> spans = spans();
    SpanData request = named(spans, "POST /v1/chat/completions");
    assertThat(attribute(request, GenAi.ERROR_TYPE)).isEqualTo("unavailable");
    assertThat(attribute(request, GenAi.HTTP_STATUS)).isEqualTo(503L);
    assertThat(attribute(request, GenAi.RESPONSE_MODEL)).isNull();
    assertThat(attribute(request, GenAi.FAILURE)).isNotBlank();
    assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attribute(named(spans, "chat tiny"), GenAi.ERROR_TYPE)).isEqualTo("unavailable");
  }

  @Test
  void aStreamedRequest_carriesTheStreamsUsage() throws Exception {
    peer.reset();
    peer.serve(FIXTURES.exchange("models").servedAt("GET", "/v1/models"));
    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", CHAT));

    assertThat(
            chat(
                "{\"model\":\"upstream/gpt-4o-mini\",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo(200);

    List<SpanData> spans = spans();
    assertThat(spans).hasSize(2);
    SpanData request = named(spans, "POST /v1/chat/completions");
    SpanData attempt = named(spans, "chat gpt-4o-mini");
    assertThat(attribute(request, GenAi.RESPONSE_MODEL)).isEqualTo("upstream/gpt-4o-mini");
    assertThat(attribute(request, GenAi.CANDIDATES)).containsExactly("upstream/gpt-4o-mini");
    assertThat(attribute(request, GenAi.FALLBACKS)).isEmpty();
    assertThat(attribute(request, GenAi.OUTPUT_TOKENS))
        .isEqualTo(attribute(attempt, GenAi.OUTPUT_TOKENS))
        .isPositive();
    assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
  }

  @Test
  void anUnknownModel_isASpanWithTheRefusal_andNoAttempt() throws Exception {
    assertThat(
            chat("{\"model\":\"ghost/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo(404);

    List<SpanData> spans = spans();
    assertThat(spans).hasSize(1);
    assertThat(attribute(spans.getFirst(), GenAi.ERROR_TYPE)).isEqualTo("model_not_found");
    assertThat(attribute(spans.getFirst(), GenAi.HTTP_STATUS)).isEqualTo(404L);
  }

  @Test
  void off_makesNoSpanAndReadsNoEvent() {
    assertThat(GatewayTracing.OFF.request("POST", CHAT, "auto")).isSameAs(RequestSpan.NONE);
    assertThat(GatewayTracing.OFF.enabled()).isFalse();
    assertThat(GatewayTracing.start(dev.tta.models.server.config.TelemetrySettings.off()))
        .isSameAs(GatewayTracing.OFF);
  }
}
