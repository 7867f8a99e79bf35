package dev.tta.models.routing;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a stream on the model of an attempt: the request as sent, or, after a break, a continuation
 * of the text already delivered. Returns once the first chunk with output (or the end) has arrived,
 * so that a failure before it is an ordinary failed attempt.
 *
 * <p>A continuation sends the conversation plus the delivered text as a final assistant message,
 * when the model may accept such a prefix ({@link AssistantPrefill}, unknown counting as maybe) and
 * the answer is free text: a JSON answer's format holds the model to a whole document from its
 * start (a grammar, a forced tool call), so after a prefix it would begin another one. When it
 * refuses one (an invalid-request answer), or is known not to take one, the request is sent again
 * unchanged, and its regenerated text is read until it covers the delivered text: only when it
 * begins with exactly that text does the stream go on, with what follows it; otherwise {@link
 * ContinuationImpossible}.
 */
final class StreamOpening implements ModelCall<StreamSegment> {

  private final Optional<String> delivered;
  private final int deliveredTokens;

  private StreamOpening(Optional<String> delivered, int deliveredTokens) {
    this.delivered = delivered;
    this.deliveredTokens = deliveredTokens;
  }

  /** The request as the caller sent it. */
  static StreamOpening fresh() {
    return new StreamOpening(Optional.empty(), 0);
  }

  /**
   * A continuation after {@code text} reached the caller.
   *
   * @param tokens the completion tokens that text cost, reported or estimated, which a {@code
   *     max_tokens} of the request must leave out
   */
  static StreamOpening continuing(String text, int tokens) {
    return new StreamOpening(Optional.of(text), tokens);
  }

  @Override
  public StreamSegment call(AttemptScope scope, ModelInstance instance) {
    RoutingSession session = scope.session();
    ChatRequest chat = session.request().chat();
    if (delivered.isEmpty()) {
      Optional<Duration> hedgeAfter = session.hedgeAfter(scope.model());
      return hedgeAfter.isPresent()
          ? HedgedOpening.open(scope, instance, hedgeAfter.get())
          : first(scope, instance);
    }
    ModelRouter router = session.router();
    ModelInfo model = scope.model();
    boolean freeText = chat.responseFormat() instanceof ResponseFormat.Text;
    if (freeText && router.assistantPrefill(model) != AssistantPrefill.UNSUPPORTED) {
      try {
        return open(scope, instance, prefixed(chat), StreamSegment.Origin.PREFIX);
      } catch (ProviderException.InvalidRequest refused) {
        router.prefillRefused(model);
        session
            .trace()
            .note(
                scope.number(),
                model.key(),
                "refused the text so far as a prefix (" + refused.getMessage() + "); restarting");
      }
    }
    return restart(scope, instance, chat);
  }

  /** The request with the delivered text as the assistant's unfinished answer. */
  private ChatRequest prefixed(ChatRequest chat) {
    List<ChatMessage> messages = new ArrayList<>(chat.messages());
    messages.add(ChatMessage.assistant(delivered.orElseThrow()));
    ChatRequest.Builder b = chat.toBuilder().messages(messages);
    chat.maxTokens().ifPresent(max -> b.maxTokens(Math.max(1, max - deliveredTokens)));
    return b.build();
  }

  /** The request as the caller sent it, on the attempt's model. */
  static StreamSegment first(AttemptScope scope, ModelInstance instance) {
    return open(scope, instance, scope.session().request().chat(), StreamSegment.Origin.FIRST);
  }

  private static StreamSegment open(
      AttemptScope scope, ModelInstance instance, ChatRequest chat, StreamSegment.Origin origin) {
    RoutingSession session = scope.session();
    ModelRouter router = session.router();
    ModelInfo model = scope.model();
    AttemptTimeouts timeouts = session.timeoutsFor(model);
    Duration left = session.timeLeft();
    ChatStream upstream =
        instance.stream(
            chat,
            CallOptions.forStream(
                AttemptTimeouts.within(timeouts.firstToken(), left),
                AttemptTimeouts.within(timeouts.stall(), left)));
    WatchedStream watched =
        new WatchedStream(
            upstream,
            model,
            timeouts,
            scope.startNanos(),
            session.deadlineNanos(),
            session.budget(),
            router.time(),
            router.alarms());
    List<ChatChunk> read = new ArrayList<>();
    boolean ended = false;
    Cancellation.Registration closing = session.onCancel(watched::close);
    try {
      while (true) {
        Optional<ChatChunk> chunk = watched.next();
        if (chunk.isEmpty()) {
          ended = true;
          break;
        }
        read.add(chunk.get());
        if (chunk.get().hasOutput() || chunk.get().finishReason().isPresent()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      watched.close();
      throw e;
    } finally {
      closing.close();
    }
    if (ended) {
      watched.close();
      throw new ProviderException.Unavailable(
          model.providerId(), model.id(), "the stream ended before any output", null);
    }
    return new StreamSegment(
        scope, watched, read, ended, session.elapsedSince(scope.startNanos()), origin);
  }

  /**
   * Sends the request again and reads until the regenerated text covers the delivered one, then
   * keeps only what follows it.
   */
  private StreamSegment restart(AttemptScope scope, ModelInstance instance, ChatRequest chat) {
    String expected = delivered.orElseThrow();
    StreamSegment segment = open(scope, instance, chat, StreamSegment.Origin.RESTART);
    StringBuilder regenerated = new StringBuilder();
    List<ChatChunk> after = new ArrayList<>();
    String model = "";
    Cancellation.Registration closing = scope.session().onCancel(segment.stream()::close);
    try {
      while (regenerated.length() < expected.length()) {
        ChatChunk chunk = segment.buffered().poll();
        if (chunk == null) {
          if (segment.ended()) {
            break;
          }
          Optional<ChatChunk> read = segment.stream().next();
          if (read.isEmpty()) {
            segment.end();
            continue;
          }
          chunk = read.get();
        }
        model = chunk.model();
        if (!chunk.toolCallDeltas().isEmpty()) {
          throw diverged(segment, "it answered with a tool call");
        }
        regenerated.append(chunk.contentDelta());
        if (!agrees(regenerated, expected)) {
          throw diverged(segment, "its text differs from what was delivered");
        }
        if (chunk.finishReason().isPresent() || chunk.usage().isPresent()) {
          after.add(
              new ChatChunk(chunk.model(), "", List.of(), chunk.finishReason(), chunk.usage()));
        }
      }
    } catch (RuntimeException e) {
      segment.stream().close();
      throw e;
    } finally {
      closing.close();
    }
    if (regenerated.length() < expected.length()) {
      throw diverged(segment, "its answer ended before covering what was delivered");
    }
    String rest = regenerated.substring(expected.length());
    List<ChatChunk> buffered = new ArrayList<>();
    if (!rest.isEmpty()) {
      buffered.add(ChatChunk.content(model, rest));
    }
    buffered.addAll(after);
    buffered.addAll(segment.buffered());
    boolean finished = after.stream().anyMatch(c -> c.finishReason().isPresent());
    if (rest.isEmpty() && !finished && !segment.ended()) {
      // nothing new yet: the first chunk with output is still to come, as for any opening
      readUntilOutput(segment, buffered);
    }
    return new StreamSegment(
        segment.scope(),
        segment.stream(),
        buffered,
        segment.ended(),
        segment.timeToFirstToken(),
        StreamSegment.Origin.RESTART);
  }

  private static void readUntilOutput(StreamSegment segment, List<ChatChunk> buffered) {
    while (true) {
      Optional<ChatChunk> chunk = segment.stream().next();
      if (chunk.isEmpty()) {
        segment.end();
        return;
      }
      buffered.add(chunk.get());
      if (chunk.get().hasOutput() || chunk.get().finishReason().isPresent()) {
        return;
      }
    }
  }

  /** Whether the regenerated text so far and the delivered one agree on their common length. */
  private static boolean agrees(CharSequence regenerated, String expected) {
    int common = Math.min(regenerated.length(), expected.length());
    for (int i = 0; i < common; i++) {
      if (regenerated.charAt(i) != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static ContinuationImpossible diverged(StreamSegment segment, String why) {
    segment.stream().close();
    return new ContinuationImpossible("restarted without the prefix, but " + why);
  }
}
