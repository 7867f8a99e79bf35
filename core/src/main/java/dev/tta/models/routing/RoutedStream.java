package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed answer that routing has opened: the first chunk with output has arrived. When the
 * upstream breaks after that (a cut connection, a stall past its limit, an error inside the stream,
 * a chunk that cannot be read, an end without a finish reason), the stream is continued on the next
 * candidate, or on the same model when it is the only one, from the text already delivered; the
 * caller reads on and sees one answer. Only when no continuation is possible (the policy stops,
 * tool calls were already delivered, or a restarted model's text differs) does {@link #next()}
 * throw, and then always the failure that first broke the stream. The stream ends normally only
 * once a finish reason arrived: nothing is passed off as a whole answer that is not one.
 *
 * <p>Read it with {@link #next()} on one thread; {@link #close()} may come from another (a client
 * that went away) and cancels the upstream call, a continuation being opened included. The attempts
 * are recorded as they end: a failed one as a failure of its model, never as a completion; the call
 * that finished as the success.
 */
public final class RoutedStream implements ChatStream {

  /**
   * The longest answer a stream may deliver, in characters: eight times the longest a model writes
   * (128k tokens of about four characters). An upstream that goes on past it ignores the request's
   * token limit and may never stop; the text kept for a continuation would fill the heap, so the
   * stream is ended with a failure of that model, not continued.
   */
  public static final int MAX_ANSWER_CHARS = 4 * 1024 * 1024;

  static final String TOO_LONG_STOP = "stop: an answer this long cannot be continued";

  private final RoutingSession session;
  private final Duration timeToFirstToken;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final StringBuilder delivered = new StringBuilder();
  private final Set<ModelKey> models = new LinkedHashSet<>();
  private volatile StreamSegment segment;
  private volatile RoutingTrace finalTrace;
  private volatile Usage finalUsage;
  private volatile boolean served;
  private boolean toolCallsDelivered;
  private boolean finishSeen;
  private int continuations;
  private int earlierCompletionTokens;
  private Usage segmentUsage;
  private ProviderException firstBreak;

  RoutedStream(RoutingSession session, StreamSegment first) {
    this.session = session;
    this.segment = first;
    this.timeToFirstToken = first.timeToFirstToken();
    this.models.add(first.scope().model().key());
    // a request cancelled by its caller (a client that left) closes the stream
    session.onCancel(this::close);
  }

  /** The model serving the stream now: the last one it was continued on, if any. */
  public ModelKey servedBy() {
    return segment.scope().model().key();
  }

  /** Every model that contributed text, in order. */
  public List<ModelKey> models() {
    synchronized (models) {
      return List.copyOf(models);
    }
  }

  /** How many times the stream was continued after a break. */
  public int continuations() {
    return continuations;
  }

  /**
   * The trace: while the stream runs, the attempts so far (the serving attempt not yet among them);
   * once it has ended, failed or been cancelled, the complete trace.
   */
  public RoutingTrace trace() {
    RoutingTrace done = finalTrace;
    return done != null ? done : session.traceServedBy(Optional.of(servedBy()));
  }

  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /**
   * The answer's token counts once the stream has ended normally: the provider's when one call
   * served it all and reported them, otherwise estimated (and marked so) from the request and the
   * text of each part, reported counts used where a part had them. Empty before the end.
   */
  public Optional<Usage> usage() {
    return Optional.ofNullable(finalUsage);
  }

  @Override
  public Optional<ChatChunk> next() {
    while (true) {
      if (served) {
        return Optional.empty();
      }
      if (closed.get()) {
        throw cancelled();
      }
      StreamSegment current = segment;
      ChatChunk chunk = current.buffered().poll();
      if (chunk == null && !current.ended()) {
        try {
          Optional<ChatChunk> read = current.stream().next();
          if (read.isEmpty()) {
            current.end();
            continue;
          }
          chunk = read.get();
        } catch (ProviderException e) {
          recover(current, e);
          continue;
        } catch (RuntimeException e) {
          recover(current, ModelRouter.unexpected(current.scope().model(), e));
          continue;
        }
      }
      if (chunk == null) {
        if (!finishSeen) {
          recover(
              current,
              new ProviderException.Unavailable(
                  current.scope().model().providerId(),
                  current.scope().model().id(),
                  "the stream ended without a finish reason",
                  null));
          continue;
        }
        if (!succeed(current)) {
          throw cancelled();
        }
        return Optional.empty();
      }
      if (delivered.length() + chunk.contentDelta().length() > MAX_ANSWER_CHARS) {
        tooLong(current);
      }
      accept(current, chunk);
      return Optional.of(chunk);
    }
  }

  private void accept(StreamSegment current, ChatChunk chunk) {
    delivered.append(chunk.contentDelta());
    current.text().append(chunk.contentDelta());
    toolCallsDelivered |= !chunk.toolCallDeltas().isEmpty();
    finishSeen |= chunk.finishReason().isPresent();
    chunk.usage().ifPresent(usage -> segmentUsage = usage);
  }

  /**
   * Continues after a break, or ends the stream with the failure that first broke it. A break after
   * the finish reason loses nothing: the answer is whole.
   */
  private void recover(StreamSegment broken, ProviderException failure) {
    if (closed.get()) {
      throw cancelled();
    }
    broken.stream().close();
    if (finishSeen) {
      broken.end();
      return;
    }
    if (!broken.settleAttempt()) {
      throw cancelled();
    }
    if (firstBreak == null) {
      firstBreak = failure;
    }
    AttemptScope scope = broken.scope();
    Duration took = session.elapsedSince(scope.startNanos());
    if (toolCallsDelivered) {
      fail(scope, failure, took, "stop: a tool call was already delivered, it cannot be continued");
    }
    StreamSegment next;
    try {
      session.afterFailure(scope.model(), scope.number(), failure, took, true);
      earlierCompletionTokens += completionTokens(broken, Optional.ofNullable(segmentUsage));
      next = session.serve(StreamOpening.continuing(delivered.toString(), earlierCompletionTokens));
    } catch (RoutingException e) {
      if (closed.get()) {
        // the close took its trace while the continuation was still opening: this one holds the
        // continuation's attempt, cancelled by that close
        finalTrace = session.traceServedBy(Optional.empty());
        throw cancelled();
      }
      settleFailed("stop: " + e.getMessage());
      throw firstBreak;
    } catch (ContinuationImpossible e) {
      settleFailed("stop: " + e.getMessage());
      throw firstBreak;
    }
    segment = next;
    if (closed.get()) {
      // a close while the continuation opened found the broken segment, not this one
      cancelAttempt(next);
      finalTrace = session.traceServedBy(Optional.empty());
      throw cancelled();
    }
    segmentUsage = null;
    continuations++;
    synchronized (models) {
      models.add(next.scope().model().key());
    }
    session
        .router()
        .emit(
            new RoutingEvent.Continued(
                session.router().time().instant(),
                scope.model().key(),
                next.scope().model().key(),
                failure.errorClass(),
                next.origin().description()));
  }

  /** Ends the stream on an upstream whose answer passed {@link #MAX_ANSWER_CHARS}. */
  private void tooLong(StreamSegment current) {
    current.stream().close();
    if (!current.settleAttempt()) {
      throw cancelled();
    }
    AttemptScope scope = current.scope();
    firstBreak =
        new ProviderException.Unavailable(
            scope.model().providerId(),
            scope.model().id(),
            "the answer passed "
                + MAX_ANSWER_CHARS
                + " characters, more than any chat answer: the model does not stop",
            null);
    fail(scope, firstBreak, session.elapsedSince(scope.startNanos()), TOO_LONG_STOP);
  }

  /** The completion tokens a segment cost: as reported, or estimated from its text. */
  private static int completionTokens(StreamSegment segment, Optional<Usage> reported) {
    if (reported.isPresent() && segment.origin() != StreamSegment.Origin.RESTART) {
      return reported.get().completionTokens();
    }
    return ChatRequest.estimatedTokens(segment.text());
  }

  private Usage answerUsage(StreamSegment last) {
    Optional<Usage> reported = Optional.ofNullable(segmentUsage);
    if (continuations == 0 && reported.isPresent()) {
      return reported.get();
    }
    return Usage.estimated(
        session.request().chat().estimatedPromptTokens(),
        earlierCompletionTokens + completionTokens(last, reported));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    session.cancel("the stream was closed by the caller");
    cancelAttempt(segment);
    settleFailed("cancelled");
  }

  /**
   * Ends the segment's upstream call and records its attempt as cancelled, unless it is already.
   */
  private void cancelAttempt(StreamSegment cancelledSegment) {
    cancelledSegment.stream().close();
    if (!cancelledSegment.settleAttempt()) {
      return;
    }
    AttemptScope scope = cancelledSegment.scope();
    ModelRouter router = session.router();
    ProviderException.Cancelled cancelled = cancelled();
    Duration took = session.elapsedSince(scope.startNanos());
    router.recordFailure(scope.model(), scope.number(), session.request(), cancelled, took);
    session.trace().failed(scope.number(), scope.model().key(), took, cancelled, "stop: cancelled");
    router.emit(
        new RoutingEvent.AttemptFailed(
            router.time().instant(),
            scope.model().key(),
            scope.number(),
            cancelled.errorClass(),
            "stop: cancelled"));
  }

  /** Records the answer as served; false when a close got there first. */
  private boolean succeed(StreamSegment last) {
    if (!last.settleAttempt() || !settled.compareAndSet(false, true)) {
      return false;
    }
    AttemptScope scope = last.scope();
    ModelRouter router = session.router();
    Duration took = session.elapsedSince(scope.startNanos());
    finalUsage = answerUsage(last);
    router.recordSuccess(
        scope.model(),
        scope.number(),
        session.request(),
        took,
        Optional.of(last.timeToFirstToken()),
        Optional.of(finalUsage));
    String decision =
        last.origin() == StreamSegment.Origin.FIRST
            ? "served"
            : "served, " + last.origin().description();
    session.trace().succeeded(scope.number(), servedBy(), took, decision);
    finalTrace = session.traceServedBy(Optional.of(servedBy()));
    router.emit(
        new RoutingEvent.AttemptSucceeded(
            router.time().instant(), servedBy(), scope.number(), took));
    router.emit(new RoutingEvent.Served(router.time().instant(), finalTrace));
    last.stream().close();
    session.finish();
    served = true;
    return true;
  }

  /**
   * Records the broken attempt (the policy is not asked: nothing can continue) and ends; its
   * attempt is already claimed by the caller.
   */
  private void fail(AttemptScope scope, ProviderException failure, Duration took, String why) {
    session.router().recordFailure(scope.model(), scope.number(), session.request(), failure, took);
    session.trace().failed(scope.number(), scope.model().key(), took, failure, why);
    session
        .router()
        .emit(
            new RoutingEvent.AttemptFailed(
                session.router().time().instant(),
                scope.model().key(),
                scope.number(),
                failure.errorClass(),
                why));
    settleFailed(why);
    throw firstBreak;
  }

  private void settleFailed(String why) {
    if (settled.compareAndSet(false, true)) {
      finalTrace = session.traceServedBy(Optional.empty());
      session.reportFailed(finalTrace, why);
      session.finish();
    }
  }

  private ProviderException.Cancelled cancelled() {
    StreamSegment current = segment;
    return new ProviderException.Cancelled(
        current.scope().model().providerId(),
        current.scope().model().id(),
        "stream closed by the caller",
        null);
  }
}
