package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK, unchanged but for its base URL, against the gateway: a local GGUF
 * model run by llama.cpp and an OpenAI-compatible upstream replaying the hand-written fixtures.
 */
class OpenAiSdkIT {

  private static final String KEY = "sdk-client-key-0001";
  private static final String LOCAL_MODEL = "local/" + TinyLlamaWriter.NAME;
  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;

  @TempDir static Path dataDir;

  private static ReplayPeer peer;
  private static GatewayServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    Path models = Files.createDirectories(dataDir.resolve("models"));
    TinyLlamaWriter.write(models.resolve(TinyLlamaWriter.NAME + ".gguf"), 7);
    peer = ReplayPeer.start();
    String yaml =
        """
        server: {port: 0}
        providers:
          - {name: local, type: local, model_paths: [%s]}
          - name: upstream
            type: custom_api
            base_url: %s/v1
            models: [{id: gpt-4o-mini, therapeutic_safety_score: 9}]
        auth: {client_keys: [%s]}
        """
            .formatted(models, peer.root(), KEY);
    server =
        GatewayServer.start(
            GatewayRuntime.start(new ConfigReader(Map.of()).parse(yaml, "sdk.yaml", dataDir)));
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    peer.close();
  }

  @BeforeEach
  void upstream() {
    peer.reset();
    peer.serve(FIXTURES.exchange("models").servedAt("GET", "/v1/models"));
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are a narrator.")
        .addUserMessage("The door creaks open.");
  }

  /**
   * The written model's planted chain is the tokens "▁H", "i", "▁f", "r", "o", "m", repeated at
   * temperature 0 whatever the prompt: 8 tokens read " Hi from Hi", 12 " Hi from Hi from".
   */
  @Test
  void chat_withTheLocalModel_answersUnderItsKey_withThePlantedText() {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(ask(LOCAL_MODEL).maxCompletionTokens(8).temperature(0.0).build());

    assertThat(completion.model()).isEqualTo(LOCAL_MODEL);
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content()).hasValue(" Hi from Hi");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage()).isPresent();
    assertThat(completion.usage().get().completionTokens()).isEqualTo(8L);
    assertThat(completion.usage().get().promptTokens()).isPositive();
  }

  @Test
  void streaming_fromTheLocalModel_concatenatesToTheSameTextAsTheWholeAnswer() {
    ChatCompletionCreateParams params =
        ask(LOCAL_MODEL)
            .maxCompletionTokens(12)
            .temperature(0.0)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    String whole =
        client.chat().completions().create(params).choices().get(0).message().content().orElse("");

    StringBuilder streamed = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    long completionTokens = -1;
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        assertThat(chunk.model()).isEqualTo(LOCAL_MODEL);
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          choice.delta().content().ifPresent(streamed::append);
          choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
        }
        if (chunk.usage().isPresent()) {
          completionTokens = chunk.usage().get().completionTokens();
        }
      }
    }

    assertThat(whole).isEqualTo(" Hi from Hi from");
    assertThat(streamed.toString()).isEqualTo(whole);
    assertThat(finishes).containsExactly("length");
    assertThat(completionTokens).isEqualTo(12L);
  }

  @Test
  void chat_andStream_throughTheUpstream_carryTheRecordedText() {
    peer.serve(FIXTURES.exchange("chat").servedAt("POST", "/v1/chat/completions"));
    ChatCompletion completion =
        client.chat().completions().create(ask("upstream/gpt-4o-mini").build());
    assertThat(completion.choices().get(0).message().content())
        .hasValue("Hello! How can I assist you today?");
    assertThat(completion.usage().get().totalTokens()).isEqualTo(29);

    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", "/v1/chat/completions"));
    StringBuilder streamed = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(ask("upstream/gpt-4o-mini").build())) {
      stream.stream()
          .forEach(
              c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append)));
    }
    assertThat(streamed.toString()).isEqualTo("Hello! How can I assist you today?");
  }

  @Test
  void models_listTheLocalAndUpstreamModels_ownedByTheirProvider() {
    List<String> models = new ArrayList<>();
    for (Model model : client.models().list().data()) {
      models.add(model.id() + " by " + model.ownedBy());
    }
    assertThat(models)
        .contains(LOCAL_MODEL + " by local", "upstream/gpt-4o-mini by upstream", "auto by route");
  }

  @Test
  void errors_surfaceAsTheSdksOwnExceptions_withOpenAisCodes() {
    assertThatThrownBy(() -> client.chat().completions().create(ask("upstream/gpt-9").build()))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
    assertThatThrownBy(
            () -> client.chat().completions().create(ask(LOCAL_MODEL).temperature(5.0).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.param()).hasValue("temperature"));
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(ask("auto").putAdditionalHeader("X-MM-Require", "vision").build()))
        .isInstanceOfSatisfying(
            UnprocessableEntityException.class,
            e -> assertThat(e.code()).hasValue("no_eligible_model"));
    OpenAIClient stranger =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + server.port() + "/v1")
            .apiKey("not-a-valid-key")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> stranger.models().list())
          .isInstanceOfSatisfying(
              UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
    } finally {
      stranger.close();
    }
  }
}
