package dev.tta.models.testkit.inprocess;

import static dev.tta.models.testkit.ModelProviderContract.Capability.CANCELLATION;
import static dev.tta.models.testkit.ModelProviderContract.Capability.CHAT;
import static dev.tta.models.testkit.ModelProviderContract.Capability.HEALTH;
import static dev.tta.models.testkit.ModelProviderContract.Capability.LIST_MODELS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.STREAMING;
import static dev.tta.models.testkit.ModelProviderContract.Capability.TIMEOUTS;
import static dev.tta.models.testkit.ModelProviderContract.Capability.USAGE_IN_STREAM;

import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.testkit.ContractRecordings;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ModelProviderContract;
import dev.tta.models.testkit.Peer;
import dev.tta.models.testkit.ProviderTarget;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The contract suite's in-process cases against {@link WordsProvider}, which needs no native
 * runtime: the suite's own check that a provider without a peer is held to real answers, timeouts
 * against a busy model, cancellation and release, while the peer-side cases skip.
 */
class InProcessContractTest extends ModelProviderContract {

  static final ChatRequest REQUEST =
      ChatRequest.builder().addMessage(ChatMessage.user("Why is the sky blue?")).build();

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(
        LIST_MODELS, CHAT, STREAMING, USAGE_IN_STREAM, HEALTH, CANCELLATION, TIMEOUTS);
  }

  @Override
  protected Peer peer() {
    return new Peer.InProcess((model, options) -> model.stream(REQUEST, options), thread -> false);
  }

  @Override
  protected ModelProvider createProvider(ProviderTarget target) {
    return new WordsProvider();
  }

  @Override
  protected ContractRecordings recordings() {
    // "Why is the sky blue?" is 5 words; the answer is all 5 of the model's words
    Usage usage = new Usage(5, 5);
    return ContractRecordings.builder(WordsProvider.MODEL)
        .listed(Set.of(WordsProvider.MODEL))
        .contextLength(WordsProvider.MODEL, 2048)
        .conversation(
            Conversation.inProcess(
                REQUEST,
                "The sky is blue.",
                FinishReason.STOP,
                usage,
                WordsProvider.MODEL,
                Optional.of(usage)))
        .build();
  }
}
