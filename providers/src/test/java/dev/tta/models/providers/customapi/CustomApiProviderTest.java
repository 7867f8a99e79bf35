package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.ScriptedTransport;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.time.ManualTimeSource;
import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CustomApiProviderTest {

  static final String LISTING =
      "{\"object\":\"list\",\"data\":[{\"id\":\"tiny-random\",\"object\":\"model\","
          + "\"owned_by\":\"llamacpp\",\"meta\":{\"n_ctx_train\":4096}}]}";
  static final String ANSWER =
      "{\"model\":\"tiny-random\",\"choices\":[{\"message\":{\"content\":\"hi\"},"
          + "\"finish_reason\":\"stop\"}]}";

  final ScriptedTransport transport = new ScriptedTransport();

  CustomApiProvider provider(CustomApiSettings.Builder settings) {
    return CustomApiProviderFactory.create(settings.build(), transport, new ManualTimeSource());
  }

  static OpenAiClientConfig.Builder connection() {
    return OpenAiClientConfig.builder(
        ProviderId.of("llamacpp"), URI.create("http://127.0.0.1:8080/v1"));
  }

  static CustomApiSettings.Builder settings() {
    return CustomApiSettings.builder(connection().build())
        .addModel(
            CustomModelSettings.builder("configured-only")
                .costPerToken(0.000001, 0.000001)
                .build());
  }

  CustomApiProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  @Test
  void identity() {
    provider = provider(settings());

    assertThat(provider.id()).isEqualTo(ProviderId.of("llamacpp"));
    assertThat(provider.type()).isEqualTo(ProviderType.CUSTOM_API);
    assertThat(CustomApiProviderFactory.TYPE).isEqualTo(ProviderType.CUSTOM_API);
    assertThat(provider.settings().models()).hasSize(1);
  }

  @Test
  void listModels_configuredAndListed_filtered() {
    provider = provider(settings());
    transport.thenReply(200, LISTING).thenReply(200, LISTING);

    assertThat(provider.listModels(ModelFilter.ALL))
        .extracting(ModelInfo::id)
        .containsExactly("configured-only", "tiny-random");
    // configured-only costs 0.000001 per token: above a ceiling of 0.0000005
    assertThat(provider.listModels(ModelFilter.maxCost(0.0000005)))
        .extracting(ModelInfo::id)
        .containsExactly("tiny-random");
  }

  @Test
  void listModels_withoutDiscovery_noServerCall() {
    provider = provider(settings().discoverModels(false));

    assertThat(provider.listModels(ModelFilter.ALL))
        .extracting(ModelInfo::id)
        .containsExactly("configured-only");
    assertThat(transport.calls()).isEmpty();
  }

  @Test
  void listModels_listingFails_thrown() {
    provider = provider(settings());
    transport.thenThrow(new ConnectException("Connection refused"));

    assertThatThrownBy(() -> provider.listModels(ModelFilter.ALL))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("GET models to 127.0.0.1:8080: could not connect (Connection refused)");
  }

  @Test
  void load_sameHandleUntilUnloaded() {
    provider = provider(settings());
    transport.thenReply(200, LISTING).thenReply(200, LISTING);

    ModelInstance first = provider.load("tiny-random", LoadOptions.DEFAULTS);
    ModelInstance again = provider.load("tiny-random", LoadOptions.DEFAULTS);
    provider.unload("tiny-random");
    provider.unload("never-loaded");
    ModelInstance reloaded = provider.load("tiny-random", LoadOptions.DEFAULTS);

    assertThat(again).isSameAs(first);
    assertThat(reloaded).isNotSameAs(first);
    assertThat(transport.calls()).hasSize(2);
    assertThat(first.info().contextLength()).hasValue(4096);
    assertThat(first.status()).isEqualTo(ModelStatus.AVAILABLE);
  }

  @Test
  void load_configuredModelTheServerDoesNotList() {
    provider = provider(settings());
    transport.thenReply(200, LISTING);

    assertThat(provider.load("configured-only", LoadOptions.DEFAULTS).info().id())
        .isEqualTo("configured-only");
  }

  @Test
  void load_unknownModel_modelNotFoundNamingWhatIsOffered() {
    provider = provider(settings());
    transport.thenReply(200, LISTING);

    assertThatThrownBy(() -> provider.load("gpt-4o", LoadOptions.DEFAULTS))
        .isInstanceOfSatisfying(
            ProviderException.ModelNotFound.class,
            e -> assertThat(e.modelId()).isEqualTo(Optional.of("gpt-4o")))
        .hasMessage(
            "provider llamacpp offers no model 'gpt-4o'; it offers [configured-only, tiny-random]");
  }

  @Test
  void instance_callsGoThroughTheClientWithItsId() {
    provider = provider(settings().discoverModels(false));
    transport.thenReply(200, ANSWER);
    ModelInstance model = provider.load("configured-only", LoadOptions.DEFAULTS);

    var response = model.chat(ChatRequest.of(ChatMessage.user("hi")), CallOptions.defaults());

    assertThat(response.text()).isEqualTo("hi");
    assertThat(
            new String(
                transport.calls().getFirst().body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"model\":\"configured-only\"");
  }

  @Test
  void instance_stream_throughTheClient() {
    provider = provider(settings().discoverModels(false));
    transport.thenReply(200, "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    ModelInstance model = provider.load("configured-only", LoadOptions.DEFAULTS);

    try (var stream =
        model.stream(ChatRequest.of(ChatMessage.user("hi")), CallOptions.defaults())) {
      assertThat(stream.next().orElseThrow().finishReason()).isPresent();
      assertThat(stream.next()).isEmpty();
    }
  }

  @Test
  void health_delegates() {
    provider = provider(CustomApiSettings.builder(connection().healthPath("/health").build()));
    transport.thenReply(200, "{\"status\":\"ok\"}");

    assertThat(provider.health().healthy()).isTrue();
    assertThat(transport.calls().getFirst().uri())
        .isEqualTo(URI.create("http://127.0.0.1:8080/health"));
  }

  @Test
  void close_closesTheTransport() {
    provider = provider(settings());

    provider.close();

    assertThat(transport.closed()).isTrue();
  }

  @Test
  void factory_overTheJdkClient_buildsAndCloses() {
    try (CustomApiProvider real = CustomApiProviderFactory.create(settings().build())) {
      assertThat(real.id()).isEqualTo(ProviderId.of("llamacpp"));
    }
    assertThatThrownBy(() -> CustomApiProviderFactory.create(null))
        .hasMessage("settings: is required");
  }
}
