package dev.tta.models.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.providers.local.gguf.GgufReader;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.testkit.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt a local model gets is made by llama.cpp from the chat template stored in the model's
 * GGUF file, not from a template of ours: a model written with Gemma's template is prompted in
 * Gemma's turns, one with ChatML in ChatML's, and one without a template (the shared real GGUF has
 * none) with a plain transcript. Expected prompts are written out by hand from each format.
 */
class LocalChatTemplateTest {

  /** Gemma's instruction template as its GGUF files carry it. */
  static final String GEMMA_TEMPLATE =
      "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'assistant') %}"
          + "{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
          + "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}"
          + "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}";

  private static final ChatRequest ASK =
      ChatRequest.builder()
          .addMessage(ChatMessage.system("Be brief."))
          .addMessage(ChatMessage.user("Hello"))
          .maxTokens(4)
          .build();

  @TempDir Path models;

  private LocalProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private LocalModel load(Path file, String id) {
    provider =
        LocalProviderFactory.create(
            LocalSettings.builder("local").addModelPath(file).contextLength(256).threads(2).build(),
            () -> LocalProviderTest.PLENTY);
    return (LocalModel) provider.load(id, LoadOptions.DEFAULTS);
  }

  @Test
  void aGemmaTemplateInTheFile_givesGemmasTurns_withTheSystemTextInTheFirstUserTurn()
      throws IOException {
    Path file = models.resolve("gemma-tiny.gguf");
    TinyLlamaWriter.write(file, 5, Optional.of(GEMMA_TEMPLATE));
    assertThat(GgufReader.read(file).string("tokenizer.chat_template")).hasValue(GEMMA_TEMPLATE);

    LocalModel model = load(file, "gemma-tiny");

    assertThat(model.prompt(ASK))
        .isEqualTo("<start_of_turn>user\nBe brief.\n\nHello<end_of_turn>\n<start_of_turn>model\n");
    // an answer to continue ends the prompt where the model's turn goes on
    ChatRequest continued = ASK.toBuilder().addMessage(ChatMessage.assistant("Hi, I am")).build();
    assertThat(model.prompt(continued))
        .isEqualTo(
            "<start_of_turn>user\nBe brief.\n\nHello<end_of_turn>\n<start_of_turn>model\nHi, I am");
  }

  @Test
  void aChatMlTemplateInTheFile_givesChatMlTurns() throws IOException {
    Path file = models.resolve("chatml-tiny.gguf");
    TinyLlamaWriter.write(file, 5, true);

    LocalModel model = load(file, "chatml-tiny");

    assertThat(model.prompt(ASK))
        .isEqualTo(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
                + "<|im_start|>assistant\n");
  }

  /** The real GGUF beside a developer's checkout; skipped, with the reason, where it is absent. */
  @Test
  void theSharedRealGguf_carriesNoTemplate_soItIsPromptedWithATranscript() {
    Path shared = SharedFixtures.require("models/llama-2-tiny-random.gguf");
    assertThat(GgufReader.read(shared).string("tokenizer.chat_template")).isEmpty();

    LocalModel model = load(shared, "llama-2-tiny-random");

    assertThat(model.prompt(ASK)).isEqualTo("system: Be brief.\nuser: Hello\nassistant:");
  }
}
