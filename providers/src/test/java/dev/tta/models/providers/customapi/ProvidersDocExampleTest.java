package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.providers.http.ScriptedTransport;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.time.ManualTimeSource;
import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The worked example of docs/features/providers.md, run. */
class ProvidersDocExampleTest {

  @Test
  void catalogExample() {
    CustomApiSettings settings =
        CustomApiSettings.builder(
                OpenAiClientConfig.builder(
                        ProviderId.of("llamacpp"), URI.create("http://127.0.0.1:8080/v1"))
                    .healthPath("/health")
                    .build())
            .addModel(CustomModelSettings.builder("tiny-random").contextLength(512).build())
            .addModel(CustomModelSettings.builder("gpt-4o-this-model-does-not-exist").build())
            .build();
    // the listing of llama-server/models.response.http
    ScriptedTransport server =
        new ScriptedTransport()
            .thenReply(
                200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"tiny-random\",\"object\":\"model\","
                    + "\"created\":1795856967,\"owned_by\":\"llamacpp\",\"meta\":{\"vocab_type\":1,"
                    + "\"n_vocab\":32000,\"n_ctx_train\":4096,\"n_embd\":8,\"n_params\":513048,"
                    + "\"size\":1026144}}]}");

    try (CustomApiProvider provider =
        CustomApiProviderFactory.create(settings, server, new ManualTimeSource())) {
      List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

      assertThat(models)
          .extracting(ModelInfo::id, ModelInfo::contextLength)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("tiny-random", OptionalInt.of(512)),
              org.assertj.core.groups.Tuple.tuple(
                  "gpt-4o-this-model-does-not-exist", OptionalInt.empty()));
    }
  }
}
