package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedRequest;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every one of the 27 exchanges recorded from llama.cpp's server, and what the {@code custom_api}
 * provider does with it: each is replayed to the provider, or, for the endpoints outside the chat
 * API the provider speaks, named with the reason. A new recording fails {@link
 * #everyRecordingIsAccountedFor()} until it is added here. The same checks run on the testkit's
 * exchanges written by hand after llama.cpp's shapes, which a clone without the recordings has.
 */
class LlamaServerExchangesTest {

  static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));
  static final String CHAT = "/v1/chat/completions";
  static final FixtureSet HAND =
      FixtureSet.classpath("/dev/tta/models/testkit/fixtures/llama-server");
  static ReplayPeer peer;
  FixtureSet llama;
  String listedModel;

  @BeforeAll
  static void start() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void reset() {
    peer.reset();
  }

  /** The exchanges the checks replay, and the one model their server lists. */
  void use(FixtureSet fixtures, String model) {
    llama = fixtures;
    listedModel = model;
  }

  void useRecordings() {
    use(FixtureSet.shared("llama-server"), "tiny-random");
  }

  Exchange models() {
    return llama.exchange("models").servedAt("GET", "/v1/models");
  }

  static ChatRequest hello(int maxTokens) {
    return ChatRequest.builder()
        .addMessage(ChatMessage.system("You are a helpful assistant."))
        .addMessage(ChatMessage.user("Say hello in one word."))
        .maxTokens(maxTokens)
        .seed(1)
        .temperature(0)
        .build();
  }

  CustomApiProvider provider(CustomApiSettings.Builder settings) {
    return CustomApiProviderFactory.create(settings.build());
  }

  OpenAiClientConfig.Builder connection() {
    return OpenAiClientConfig.builder(ProviderId.of("llamacpp"), peer.url("/v1"))
        .healthPath("/health");
  }

  CustomApiSettings.Builder settings() {
    return CustomApiSettings.builder(connection().build());
  }

  /** The check for each exchange, by name; the value says what the provider does with it. */
  Map<String, Executable> checks() {
    Map<String, Executable> checks = new LinkedHashMap<>();
    checks.put("health", () -> assertHealthy("health", settings()));
    checks.put(
        "noctxshift_health_no_key", () -> assertHealthy("noctxshift_health_no_key", settings()));
    // meta.n_ctx_train
    checks.put("models", () -> assertListed("models", 4096));
    checks.put("noctxshift_models_no_key", () -> assertListed("noctxshift_models_no_key", 4096));
    // 56 prompt tokens, 16 generated, stopped by max_tokens
    checks.put(
        "chat_nonstream",
        () -> assertChat("chat_nonstream", settings(), hello(16), 56, 16, "tiny-random"));
    checks.put(
        "noctxshift_chat_nonstream",
        () ->
            assertChat(
                "noctxshift_chat_nonstream",
                CustomApiSettings.builder(connection().apiKey(Secret.of("sk-local-test")).build()),
                hello(16),
                56,
                16,
                "tiny-random"));
    // the server ignores unknown model names and echoes the requested one
    checks.put(
        "chat_unknown_model",
        () ->
            assertChat(
                "chat_unknown_model",
                settings()
                    .addModel(
                        CustomModelSettings.builder("gpt-4o-this-model-does-not-exist").build()),
                hello(16),
                56,
                16,
                "gpt-4o-this-model-does-not-exist"));
    // context shift on: 1024 tokens generated in a 512 window; no error
    checks.put(
        "chat_max_tokens_over_context",
        () ->
            assertChat(
                "chat_max_tokens_over_context", settings(), hello(1024), 56, 1024, "tiny-random"));
    // context shift on: a 750-token prompt silently cut to 494
    checks.put(
        "chat_prompt_over_context",
        () ->
            assertChat(
                "chat_prompt_over_context",
                settings(),
                ChatRequest.builder()
                    .addMessage(ChatMessage.system("You are a helpful assistant."))
                    .addMessage(ChatMessage.user(("hello ".repeat(700)).strip()))
                    .maxTokens(16)
                    .seed(1)
                    .temperature(0)
                    .build(),
                494,
                16,
                "tiny-random"));
    // 16 tokens, then the finish with usage 56 / 16 (sent whether asked for or not)
    checks.put("chat_stream", () -> assertStream("chat_stream", false, 17, new Usage(56, 16)));
    checks.put(
        "chat_stream_include_usage",
        () -> assertStream("chat_stream_include_usage", true, 17, new Usage(56, 16)));
    checks.put(
        "noctxshift_error_prompt_over_context_stream",
        () ->
            assertStreamFails(
                "noctxshift_error_prompt_over_context_stream",
                0,
                ProviderException.ContextLengthExceeded.class));
    // 22 chunks arrive before the error line
    checks.put(
        "noctxshift_error_max_tokens_over_context_stream",
        () ->
            assertStreamFails(
                "noctxshift_error_max_tokens_over_context_stream",
                22,
                ProviderException.ContextLengthExceeded.class));
    checks.put(
        "noctxshift_error_missing_api_key",
        () ->
            assertChatFails(
                "noctxshift_error_missing_api_key", ProviderException.Authentication.class));
    checks.put(
        "noctxshift_error_wrong_api_key",
        () ->
            assertChatFails(
                "noctxshift_error_wrong_api_key", ProviderException.Authentication.class));
    checks.put(
        "noctxshift_error_prompt_over_context",
        () ->
            assertChatFails(
                "noctxshift_error_prompt_over_context",
                ProviderException.ContextLengthExceeded.class));
    checks.put(
        "noctxshift_error_max_tokens_over_context",
        () ->
            assertChatFails(
                "noctxshift_error_max_tokens_over_context",
                ProviderException.ContextLengthExceeded.class));
    checks.put(
        "error_malformed_json",
        () -> assertChatFails("error_malformed_json", ProviderException.InvalidRequest.class));
    checks.put(
        "error_missing_messages",
        () -> assertChatFails("error_missing_messages", ProviderException.InvalidRequest.class));
    checks.put(
        "error_unknown_path",
        () -> assertChatFails("error_unknown_path", ProviderException.Unavailable.class));
    checks.put(
        "noctxshift_error_metrics_disabled",
        () ->
            assertChatFails(
                "noctxshift_error_metrics_disabled", ProviderException.Unavailable.class));
    // outside the chat API: the provider never calls these endpoints
    for (String name :
        List.of(
            "completions_nonstream",
            "completions_stream",
            "tokenize",
            "tokenize_with_pieces",
            "props",
            "metrics")) {
      checks.put(name, () -> assertNeverCalled(name));
    }
    return checks;
  }

  /** The check for each hand-written exchange (see its README), by name. */
  Map<String, Executable> handWrittenChecks() {
    Map<String, Executable> checks = new LinkedHashMap<>();
    checks.put("health", () -> assertHealthy("health", settings()));
    checks.put("models", () -> assertListed("models", 8192));
    // 12 prompt tokens, 4 generated, stopped by max_tokens
    checks.put("chat", () -> assertChat("chat", settings(), hello(4), 12, 4, "story-model"));
    // 4 tokens, then the finish with usage 12 / 4, whether asked for or not
    checks.put("chat_stream", () -> assertStream("chat_stream", true, 5, new Usage(12, 4)));
    checks.put(
        "chat_stream without include_usage",
        () -> assertStream("chat_stream", false, 5, new Usage(12, 4)));
    checks.put(
        "error_prompt_over_context_stream",
        () ->
            assertStreamFails(
                "error_prompt_over_context_stream",
                0,
                ProviderException.ContextLengthExceeded.class));
    // 2 chunks arrive before the error line
    checks.put(
        "error_in_stream",
        () ->
            assertStreamFails("error_in_stream", 2, ProviderException.ContextLengthExceeded.class));
    checks.put(
        "error_401_invalid_api_key",
        () -> assertChatFails("error_401_invalid_api_key", ProviderException.Authentication.class));
    checks.put(
        "error_400_prompt_over_context",
        () ->
            assertChatFails(
                "error_400_prompt_over_context", ProviderException.ContextLengthExceeded.class));
    checks.put(
        "error_500_context_shift_disabled",
        () ->
            assertChatFails(
                "error_500_context_shift_disabled", ProviderException.ContextLengthExceeded.class));
    checks.put(
        "error_500_malformed_json",
        () -> assertChatFails("error_500_malformed_json", ProviderException.InvalidRequest.class));
    checks.put(
        "error_500_missing_messages",
        () ->
            assertChatFails("error_500_missing_messages", ProviderException.InvalidRequest.class));
    checks.put(
        "error_404_unknown_path",
        () -> assertChatFails("error_404_unknown_path", ProviderException.Unavailable.class));
    checks.put(
        "error_501_not_supported",
        () -> assertChatFails("error_501_not_supported", ProviderException.Unavailable.class));
    return checks;
  }

  @Test
  void everyRecordingIsAccountedFor() {
    useRecordings();
    List<String> recorded = llama.exchangeNames();

    assertThat(recorded).hasSize(27);
    assertThat(checks().keySet()).containsExactlyInAnyOrderElementsOf(recorded);
  }

  @TestFactory
  Stream<DynamicTest> eachRecording() {
    useRecordings();
    return dynamicTests(checks());
  }

  @TestFactory
  Stream<DynamicTest> eachHandWrittenExchange() {
    use(HAND, "story-model");
    return dynamicTests(handWrittenChecks());
  }

  static Stream<DynamicTest> dynamicTests(Map<String, Executable> checks) {
    return checks.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () -> {
                      peer.reset();
                      e.getValue().execute();
                    }));
  }

  void assertHealthy(String name, CustomApiSettings.Builder settings) {
    peer.serve(llama.exchange(name).servedAt("GET", "/health"));
    try (CustomApiProvider provider = provider(settings)) {
      assertThat(provider.health().healthy()).isTrue();
    }
  }

  void assertListed(String name, int contextLength) {
    peer.serve(llama.exchange(name).servedAt("GET", "/v1/models"));
    try (CustomApiProvider provider = provider(settings())) {
      var models = provider.listModels(ModelFilter.ALL);
      assertThat(models).extracting(m -> m.id()).containsExactly(listedModel);
      assertThat(models.getFirst().contextLength()).hasValue(contextLength);
    }
    assertThat(peer.requests().getFirst().header("authorization")).isEmpty();
  }

  void assertChat(
      String name,
      CustomApiSettings.Builder settings,
      ChatRequest request,
      int promptTokens,
      int completionTokens,
      String servedModel) {
    Exchange exchange = llama.exchange(name);
    peer.serve(models());
    peer.serve(exchange);
    String modelId = exchange.request().map(r -> requestedModel(r)).orElseThrow();
    try (CustomApiProvider provider = provider(settings)) {
      ChatResponse response = provider.load(modelId, LoadOptions.DEFAULTS).chat(request, CALL);

      assertThat(response.usage()).contains(new Usage(promptTokens, completionTokens));
      assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(response.model()).isEqualTo(servedModel);
    }
    RecordedRequest sent = peer.requests().getLast();
    assertThat(sent.path()).isEqualTo(CHAT);
    assertThat(sent.header("authorization"))
        .isEqualTo(exchange.request().orElseThrow().header("authorization"));
  }

  static String requestedModel(RecordedRequest request) {
    String body = request.bodyText();
    int start = body.indexOf("\"model\":\"") + 9;
    return body.substring(start, body.indexOf('"', start));
  }

  void assertStream(String name, boolean asksForUsage, int chunkCount, Usage usage) {
    peer.serve(models());
    peer.serve(llama.exchange(name).servedAt("POST", CHAT));
    try (CustomApiProvider provider =
        provider(CustomApiSettings.builder(connection().streamUsage(asksForUsage).build()))) {
      List<ChatChunk> chunks =
          readAll(provider.load(listedModel, LoadOptions.DEFAULTS).stream(hello(16), CALL));

      assertThat(chunks).hasSize(chunkCount);
      assertThat(chunks.getLast())
          .isEqualTo(ChatChunk.finish(listedModel, FinishReason.LENGTH, usage));
    }
    assertThat(peer.requests().getLast().bodyText().contains("include_usage"))
        .isEqualTo(asksForUsage);
  }

  void assertStreamFails(
      String name, int chunksFirst, Class<? extends ProviderException> expected) {
    peer.serve(models());
    peer.serve(llama.exchange(name).servedAt("POST", CHAT));
    try (CustomApiProvider provider = provider(settings())) {
      ChatStream stream = provider.load(listedModel, LoadOptions.DEFAULTS).stream(hello(16), CALL);
      List<ChatChunk> received = new ArrayList<>();
      Throwable thrown =
          catchThrowable(
              () -> {
                for (Optional<ChatChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
                  received.add(c.get());
                }
              });

      assertThat(received).hasSize(chunksFirst);
      assertThat(thrown).isInstanceOf(expected);
      // a failed stream stays failed, though [DONE] followed the error
      assertThat(catchThrowable(stream::next)).isSameAs(thrown);
    }
  }

  void assertChatFails(String name, Class<? extends ProviderException> expected) {
    peer.serve(models());
    peer.serve(llama.exchange(name).servedAt("POST", CHAT));
    try (CustomApiProvider provider = provider(settings())) {
      var model = provider.load(listedModel, LoadOptions.DEFAULTS);

      assertThat(catchThrowable(() -> model.chat(hello(16), CALL))).isInstanceOf(expected);
    }
  }

  void assertNeverCalled(String name) {
    String path = llama.exchange(name).path();
    peer.serve(models());
    peer.serve(llama.exchange("health").servedAt("GET", "/health"));
    try (CustomApiProvider provider = provider(settings())) {
      var model = provider.load(listedModel, LoadOptions.DEFAULTS);
      peer.serve(llama.exchange("chat_nonstream"));
      model.chat(hello(16), CALL);
      peer.serve(llama.exchange("chat_stream"));
      readAll(model.stream(hello(16), CALL));
      provider.health();
    }
    assertThat(peer.requests()).extracting(RecordedRequest::path).doesNotContain(path).isNotEmpty();
  }

  static List<ChatChunk> readAll(ChatStream stream) {
    try (stream) {
      List<ChatChunk> chunks = new ArrayList<>();
      for (Optional<ChatChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
        chunks.add(c.get());
      }
      return chunks;
    }
  }
}
