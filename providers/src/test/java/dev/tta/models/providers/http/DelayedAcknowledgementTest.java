package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.testkit.llamacpp.LlamaServerLikePeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Against a server that answers as llama.cpp's does (Nagle on, the answer's head and body written
 * apart), a client on a kept-alive connection that acknowledges late waits for Linux's delayed
 * acknowledgement, at least 40 ms, on every answer (the stall the gateway once added to every
 * llama.cpp call). The client sends head and body in one segment and acknowledges at once, so no
 * answer waits.
 *
 * <p>The one timed check here is bounded far from both outcomes: with the stall every request takes
 * 40 ms or more (the kernel's minimum delay), without it well under one; it fails only when at
 * least half of the requests take 35 ms or more.
 */
class DelayedAcknowledgementTest {

  private static final int REQUESTS = 20;
  private static final long STALL_NANOS = 35_000_000;
  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));

  private static OpenAiClient client(LlamaServerLikePeer peer) {
    return OpenAiClient.create(
        OpenAiClientConfig.builder(ProviderId.of("llama"), peer.baseUrl()).build());
  }

  @Test
  void theRequestHeadAndBody_arriveTogether() {
    try (LlamaServerLikePeer peer = LlamaServerLikePeer.start();
        OpenAiClient client = client(peer)) {
      for (int i = 0; i < 5; i++) {
        client.chat(LlamaServerLikePeer.MODEL, HELLO, CallOptions.defaults());
      }
      assertThat(peer.readsPerRequest()).as("reads per request").containsOnly(1).hasSize(5);
      assertThat(peer.connectionsAccepted()).isEqualTo(1);
    }
  }

  @Test
  void wholeAnswers_doNotWaitForADelayedAcknowledgement() {
    assumeLinux();
    try (LlamaServerLikePeer peer = LlamaServerLikePeer.start();
        OpenAiClient client = client(peer)) {
      List<Long> took = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        long start = System.nanoTime();
        ChatResponse answer = client.chat(LlamaServerLikePeer.MODEL, HELLO, CallOptions.defaults());
        took.add(System.nanoTime() - start);
        assertThat(answer.message().content())
            .isEqualTo(String.join("", LlamaServerLikePeer.WORDS));
      }
      // a new connection acknowledges at once for a while: the stall shows on a reused one
      assertThat(peer.connectionsAccepted()).as("one kept-alive connection").isEqualTo(1);
      assertThat(took.stream().filter(nanos -> nanos >= STALL_NANOS).count())
          .as("requests of 35 ms or more, out of %d: %s ns", REQUESTS, took)
          .isLessThan(REQUESTS / 2);
    }
  }

  @Test
  void streams_doNotWaitForADelayedAcknowledgement() {
    assumeLinux();
    try (LlamaServerLikePeer peer = LlamaServerLikePeer.start();
        OpenAiClient client = client(peer)) {
      List<Long> took = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        try (ChatStream stream =
            client.stream(LlamaServerLikePeer.MODEL, HELLO, CallOptions.defaults())) {
          for (Optional<ChatChunk> chunk = stream.next();
              chunk.isPresent();
              chunk = stream.next()) {
            text.append(chunk.get().contentDelta());
          }
        }
        took.add(System.nanoTime() - start);
        assertThat(text).hasToString(String.join("", LlamaServerLikePeer.WORDS));
      }
      assertThat(took.stream().filter(nanos -> nanos >= STALL_NANOS).count())
          .as("streams of 35 ms or more, out of %d: %s ns", REQUESTS, took)
          .isLessThan(REQUESTS / 2);
    }
  }

  /** Where delayed acknowledgements work as Linux's do, and TCP_QUICKACK exists. */
  private static void assumeLinux() {
    assumeTrue(
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
        "skipped: the stall and its cure (TCP_QUICKACK) are Linux's");
  }
}
