package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ollama's documented and recorded payloads over real HTTP: listing, show, ps, unload, errors. */
class OllamaProviderTest {

  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));
  static ReplayPeer peer;
  OllamaProvider provider;

  @BeforeAll
  static void start() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void create() {
    peer.reset();
    provider =
        OllamaProviderFactory.create(
            OllamaSettings.of(
                    OllamaSettings.connection(ProviderId.of("ollama"), peer.url("/")).build())
                .withModel(
                    CustomModelSettings.builder("llama3.2:latest")
                        .therapeuticSafetyScore(7)
                        .build()));
  }

  @AfterEach
  void close() {
    provider.close();
  }

  static Exchange shared(String name, String method, String path) {
    return Exchange.of(
        name,
        method,
        path,
        RecordedResponse.of(200, "application/json", FixtureSet.shared("ollama").bytes(name)));
  }

  static Exchange body(String method, String path, int status, String json) {
    return Exchange.of(
        path,
        method,
        path,
        RecordedResponse.of(status, "application/json", json.getBytes(StandardCharsets.UTF_8)));
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/ollama");

  /** The tags listing: testkit's hand-written one, or the recorded file. */
  static Exchange tags(String source) {
    return source.equals("recorded")
        ? shared("tags_response.json", "GET", "/api/tags")
        : HAND.exchange("tags").servedAt("GET", "/api/tags");
  }

  /** Written after the documented /api/show answer, for a llama model with tools. */
  static final String HAND_SHOW =
      """
      {"modelfile":"FROM llama3.2","details":{"format":"gguf","family":"llama"},
       "model_info":{"general.architecture":"llama","llama.context_length":8192},
       "capabilities":["completion","tools"]}""";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // testkit's tags: llama3.2:latest, then qwen2.5:0.5b; HAND_SHOW: 8192, completion, tools
        "hand-written | qwen2.5:0.5b | 8192 | chat, tools",
        // the documented show answer (gemma4): 131072 tokens, completion and vision
        "recorded | deepseek-r1:latest | 131072 | chat, vision"
      })
  void listing_tagsWithWhatShowSays_askedOncePerDigest(
      String source, String otherModel, int contextLength, String capabilities) {
    List<String> ids =
        source.equals("recorded")
            ? List.of(otherModel, "llama3.2:latest")
            : List.of("llama3.2:latest", otherModel);
    peer.serve(tags(source));
    peer.serve(
        source.equals("recorded")
            ? shared("show_response_openapi.json", "POST", "/api/show")
            : body("POST", "/api/show", 200, HAND_SHOW));

    List<ModelInfo> first = provider.listModels(ModelFilter.ALL);
    List<ModelInfo> second = provider.listModels(ModelFilter.ALL);

    assertThat(first).extracting(ModelInfo::id).containsExactlyElementsOf(ids);
    ModelInfo llama = first.get(ids.indexOf("llama3.2:latest"));
    assertThat(llama.contextLength()).hasValue(contextLength);
    assertThat(llama.capabilities())
        .containsExactlyInAnyOrderElementsOf(List.of(capabilities.split(", ")));
    assertThat(llama.therapeuticSafetyScore()).hasValue(7);
    assertThat(second).isEqualTo(first);
    long shows = peer.requests().stream().filter(r -> r.path().equals("/api/show")).count();
    assertThat(shows).isEqualTo(2);
    assertThat(
            peer.requests().stream()
                .filter(r -> r.path().equals("/api/show"))
                .findFirst()
                .orElseThrow()
                .bodyText())
        .isEqualTo("{\"model\":\"" + ids.getFirst() + "\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void embeddingsModels_notOffered(String source) {
    peer.serve(tags(source));
    peer.serve(body("POST", "/api/show", 200, "{\"capabilities\":[\"embedding\"]}"));

    assertThat(provider.listModels(ModelFilter.ALL)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hand-written | The sky is blue because air scatters blue light the most.",
        "recorded | Hello! How are you today?"
      })
  void answer_overHttp(String source, String text) {
    peer.serve(tags(source));
    ModelInstance model = provider.load("llama3.2:latest", LoadOptions.DEFAULTS);
    peer.serve(
        source.equals("recorded")
            ? shared("chat_response.json", "POST", "/api/chat")
            : HAND.exchange("chat").servedAt("POST", "/api/chat"));

    ChatResponse response =
        model.chat(ChatRequest.of(ChatMessage.user("why is the sky blue?")), CALL);

    assertThat(response.text()).isEqualTo(text);
    assertThat(model.status()).isEqualTo(ModelStatus.AVAILABLE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hand-written | model 'llama3.2:latest' not found",
        "recorded | model 'llama3.2' not found"
      })
  void missingModel_isModelNotFound(String source, String message) {
    peer.serve(tags(source));
    ModelInstance model = provider.load("llama3.2:latest", LoadOptions.DEFAULTS);
    peer.serve(
        source.equals("recorded")
            ? Exchange.of(
                "404",
                "POST",
                "/api/chat",
                RecordedResponse.of(
                    404,
                    "application/json; charset=utf-8",
                    FixtureSet.shared("ollama").bytes("error_404_model_not_found.assembled.json")))
            : HAND.exchange("error_404_model_not_found").servedAt("POST", "/api/chat"));

    assertThatThrownBy(() -> model.chat(ChatRequest.of(ChatMessage.user("x")), CALL))
        .isInstanceOf(ProviderException.ModelNotFound.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hand-written, qwen3:4b", "recorded, mistral:latest"})
  void running_fromPs_andUnloadSendsKeepAliveZero(String source, String loaded) {
    peer.serve(
        source.equals("recorded")
            ? shared("ps_response.json", "GET", "/api/ps")
            : body(
                "GET",
                "/api/ps",
                200,
                """
                {"models":[{"name":"qwen3:4b","model":"qwen3:4b","size":5137025024,
                            "digest":"2bfd38a7daaf","details":{"family":"qwen3"},
                            "expires_at":"2025-06-01T10:05:00Z","size_vram":5137025024}]}"""));
    assertThat(provider.running()).containsExactly(loaded);

    peer.serve(body("POST", "/api/chat", 200, "{\"model\":\"" + loaded + "\",\"done\":true}"));
    provider.unload(loaded);

    assertThat(peer.requests().getLast().bodyText())
        .isEqualTo(
            "{\"model\":\"" + loaded + "\",\"messages\":[],\"keep_alive\":0,\"stream\":false}");
  }

  static final String PULL_LINES =
      """
      {"status":"pulling manifest"}
      {"status":"pulling 74701a8c35f6","digest":"sha256:74701a8c35f6","total":1000,"completed":250}
      {"status":"pulling 74701a8c35f6","digest":"sha256:74701a8c35f6","total":1000,"completed":1000}
      {"status":"verifying sha256 digest"}
      {"status":"writing manifest"}
      {"status":"success"}
      """;

  @Test
  void pull_progressLineByLine_untilSuccess() {
    peer.serve(
        Exchange.of(
            "pull",
            "POST",
            "/api/pull",
            RecordedResponse.of(
                200, "application/x-ndjson", PULL_LINES.getBytes(StandardCharsets.UTF_8))));
    List<PullProgress> seen = new ArrayList<>();

    provider.pull("llama3.2:1b", Duration.ofSeconds(10), seen::add);

    assertThat(seen)
        .extracting(PullProgress::status)
        .containsExactly(
            "pulling manifest",
            "pulling 74701a8c35f6",
            "pulling 74701a8c35f6",
            "verifying sha256 digest",
            "writing manifest",
            "success");
    assertThat(seen.get(1).fraction()).hasValue(0.25);
    assertThat(seen.get(2).fraction()).hasValue(1.0);
    assertThat(seen.get(0).fraction()).isEmpty();
    assertThat(seen.getLast().succeeded()).isTrue();
    assertThat(peer.requests().getLast().bodyText())
        .isEqualTo("{\"model\":\"llama3.2:1b\",\"stream\":true}");
  }

  @Test
  void pull_errorLineOrNoSuccess_fails() {
    peer.serve(
        Exchange.of(
            "pull",
            "POST",
            "/api/pull",
            RecordedResponse.of(
                200,
                "application/x-ndjson",
                "{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n"
                    .getBytes(StandardCharsets.UTF_8))));
    assertThatThrownBy(() -> provider.pull("nope", Duration.ofSeconds(10), p -> {}))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("file does not exist");

    peer.serve(
        Exchange.of(
            "pull",
            "POST",
            "/api/pull",
            RecordedResponse.of(
                200,
                "application/x-ndjson",
                "{\"status\":\"pulling manifest\"}\n".getBytes(StandardCharsets.UTF_8))));
    assertThatThrownBy(() -> provider.pull("cut", Duration.ofSeconds(10), p -> {}))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("the pull ended without success");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hand-written", "recorded"})
  void health_asksTheVersion(String source) {
    peer.serve(
        source.equals("recorded")
            ? shared("version_response.json", "GET", "/api/version")
            : body("GET", "/api/version", 200, "{\"version\":\"0.9.6\"}"));

    assertThat(provider.health().healthy()).isTrue();
    assertThat(peer.requests()).extracting(r -> r.path()).containsExactly("/api/version");
  }

  @Test
  void listingWithoutModels_isUnavailable() {
    peer.serve(body("GET", "/api/tags", 200, "{}"));

    assertThatThrownBy(() -> provider.listModels(ModelFilter.ALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("GET api/tags: the model listing has no 'models' array");
  }

  @Test
  void defaultBaseUrl_fromOllamaHost() {
    assertThat(OllamaSettings.defaultBaseUrl(Map.of())).hasToString("http://127.0.0.1:11434/");
    assertThat(OllamaSettings.defaultBaseUrl(Map.of("OLLAMA_HOST", "0.0.0.0")))
        .hasToString("http://0.0.0.0:11434/");
    assertThat(OllamaSettings.defaultBaseUrl(Map.of("OLLAMA_HOST", "https://ollama.example")))
        .hasToString("https://ollama.example/");
    assertThatThrownBy(
            () ->
                OllamaSettings.of(
                        OllamaSettings.connection(
                                ProviderId.of("o"), OllamaSettings.DEFAULT_BASE_URL)
                            .build())
                    .withModel(CustomModelSettings.builder("a").build())
                    .withModel(CustomModelSettings.builder("a").build()))
        .hasMessage("models: lists 'a' more than once");
  }
}
