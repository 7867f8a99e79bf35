package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed answer that routing has opened: the first chunk with output has arrived, so the model
 * serving it is settled. Read it with {@link #next()} on one thread; {@link #close()} may come from
 * another (a client that went away, a watchdog) and cancels the upstream call. When the stream
 * ends, fails or is cancelled, the call is recorded once in the monitor, the circuit breaker and
 * the failure registry.
 */
public final class RoutedStream implements ChatStream {

  private final ModelRouter router;
  private final ModelRouter.AttemptScope scope;
  private final ChatStream upstream;
  private final Deque<ChatChunk> buffered;
  private final Duration timeToFirstToken;
  private final RoutingTrace openingTrace;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile boolean upstreamEnded;
  private volatile RoutingTrace finalTrace;
  private Usage lastUsage;

  RoutedStream(
      ModelRouter router,
      ModelRouter.AttemptScope scope,
      ChatStream upstream,
      List<ChatChunk> firstChunks,
      boolean upstreamEnded,
      Duration timeToFirstToken) {
    this.router = router;
    this.scope = scope;
    this.upstream = upstream;
    this.buffered = new ArrayDeque<>(firstChunks);
    this.upstreamEnded = upstreamEnded;
    this.timeToFirstToken = timeToFirstToken;
    this.openingTrace = scope.trace().build(Optional.of(scope.model().key()));
  }

  /** The model serving this stream. */
  public ModelKey servedBy() {
    return scope.model().key();
  }

  /**
   * The trace: while the stream runs, the attempts that led to it (the serving attempt not yet
   * among them); once it has ended, failed or been cancelled, the complete trace.
   */
  public RoutingTrace trace() {
    RoutingTrace done = finalTrace;
    return done != null ? done : openingTrace;
  }

  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  @Override
  public Optional<ChatChunk> next() {
    ChatChunk chunk = buffered.poll();
    if (chunk == null && !upstreamEnded) {
      try {
        Optional<ChatChunk> read = upstream.next();
        if (read.isPresent()) {
          chunk = read.get();
        } else {
          upstreamEnded = true;
        }
      } catch (ProviderException e) {
        fail(e);
        throw e;
      } catch (RuntimeException e) {
        ProviderException failure =
            new ProviderException.Unavailable(
                scope.model().providerId(),
                scope.model().id(),
                "stream failed unexpectedly (" + e.getClass().getSimpleName() + ")",
                e);
        fail(failure);
        throw failure;
      }
    }
    if (chunk == null) {
      succeed();
      return Optional.empty();
    }
    chunk.usage().ifPresent(usage -> lastUsage = usage);
    return Optional.of(chunk);
  }

  @Override
  public void close() {
    upstream.close();
    if (settled.compareAndSet(false, true)) {
      ProviderException cancelled =
          new ProviderException.Cancelled(
              scope.model().providerId(), scope.model().id(), "stream closed by the caller", null);
      Duration took = elapsed();
      router.recordFailure(scope.model(), scope.request(), cancelled, took);
      scope.trace().failed(scope.number(), servedBy(), took, cancelled, "stop: cancelled");
      finalTrace = scope.trace().build(Optional.of(servedBy()));
      router.emit(
          new RoutingEvent.AttemptFailed(
              router.time().instant(),
              servedBy(),
              scope.number(),
              cancelled.errorClass(),
              "stop: cancelled"));
    }
  }

  private void succeed() {
    if (settled.compareAndSet(false, true)) {
      Duration took = elapsed();
      router.recordSuccess(
          scope.model(),
          scope.request(),
          took,
          Optional.of(timeToFirstToken),
          Optional.ofNullable(lastUsage));
      scope.trace().succeeded(scope.number(), servedBy(), took);
      finalTrace = scope.trace().build(Optional.of(servedBy()));
      router.emit(
          new RoutingEvent.AttemptSucceeded(
              router.time().instant(), servedBy(), scope.number(), took));
      router.emit(new RoutingEvent.Served(router.time().instant(), finalTrace));
      upstream.close();
    }
  }

  private void fail(ProviderException failure) {
    if (settled.compareAndSet(false, true)) {
      Duration took = elapsed();
      router.recordFailure(scope.model(), scope.request(), failure, took);
      String decision = "stop: the stream failed after its first token";
      scope.trace().failed(scope.number(), servedBy(), took, failure, decision);
      finalTrace = scope.trace().build(Optional.empty());
      router.emit(
          new RoutingEvent.AttemptFailed(
              router.time().instant(), servedBy(), scope.number(), failure.errorClass(), decision));
      router.emit(new RoutingEvent.Failed(router.time().instant(), finalTrace, decision));
      upstream.close();
    }
  }

  private Duration elapsed() {
    return Duration.ofNanos(router.time().nanoTime() - scope.startNanos());
  }
}
