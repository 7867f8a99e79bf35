package dev.tta.models.testing;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One scripted model: each call takes the next step of its script (once the script is used up, it
 * answers "ok" in 100 ms). Steps advance the shared clock by the time they take.
 */
public final class ScriptedModel implements ModelInstance {

  /** What an unscripted call takes. */
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(100);

  private sealed interface Step {}

  private record Reply(List<String> pieces, Duration firstToken, Duration perPiece, Usage usage)
      implements Step {}

  private record Fail(ErrorClass error, Duration after, Duration retryAfter) implements Step {}

  private record Crash() implements Step {}

  private record EmptyStream() implements Step {}

  private record CrashMidStream(List<String> pieces) implements Step {}

  private record BreakMidStream(List<String> pieces, Duration perPiece, ErrorClass error)
      implements Step {}

  private record Hang() implements Step {}

  private record Chunks(List<ChatChunk> chunks, Duration apart, ErrorClass breakWith)
      implements Step {}

  private record Gated(CountDownLatch gate, List<String> pieces) implements Step {}

  private final ModelInfo info;
  private final ManualTimeSource clock;
  private final ConcurrentLinkedQueue<Step> script = new ConcurrentLinkedQueue<>();
  private final List<ChatRequest> received = new CopyOnWriteArrayList<>();
  private final List<Duration> timeouts = new CopyOnWriteArrayList<>();
  private final List<String> callers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean lastStreamClosed = new AtomicBoolean();

  ScriptedModel(ModelInfo info, ManualTimeSource clock) {
    this.info = info;
    this.clock = clock;
  }

  /** Answers {@code text} after {@code latency}, reporting the given token counts. */
  public ScriptedModel thenReply(String text, Duration latency, int promptTokens, int outTokens) {
    script.add(
        new Reply(List.of(text), latency, Duration.ZERO, new Usage(promptTokens, outTokens)));
    return this;
  }

  /** Answers {@code text} after {@code latency} with this usage (which may carry a billed cost). */
  public ScriptedModel thenReply(String text, Duration latency, Usage usage) {
    script.add(new Reply(List.of(text), latency, Duration.ZERO, usage));
    return this;
  }

  /** Opens a stream that ends at once, with no chunk at all. */
  public ScriptedModel thenEmptyStream() {
    script.add(new EmptyStream());
    return this;
  }

  /** Streams the pieces (10 ms apart), then throws an unclassified exception. */
  public ScriptedModel thenCrashMidStream(List<String> pieces) {
    script.add(new CrashMidStream(pieces));
    return this;
  }

  /**
   * Streams the pieces: the first after {@code firstToken}, each next one {@code perPiece} later (a
   * non-streamed call gets their concatenation after the whole time).
   */
  public ScriptedModel thenStream(
      List<String> pieces, Duration firstToken, Duration perPiece, int promptTokens) {
    script.add(new Reply(pieces, firstToken, perPiece, new Usage(promptTokens, pieces.size())));
    return this;
  }

  /** Fails with this class after {@code after}. */
  public ScriptedModel thenFail(ErrorClass error, Duration after) {
    script.add(new Fail(error, after, null));
    return this;
  }

  /**
   * Fails rate-limited after {@code after}, telling the caller to retry after {@code retryAfter}.
   */
  public ScriptedModel thenRateLimit(Duration after, Duration retryAfter) {
    script.add(new Fail(ErrorClass.RATE_LIMITED, after, retryAfter));
    return this;
  }

  /** Throws an unclassified exception, as a provider with a bug would. */
  public ScriptedModel thenCrash() {
    script.add(new Crash());
    return this;
  }

  /** Streams the pieces, then fails with this class (a broken stream after its first token). */
  public ScriptedModel thenBreakMidStream(
      List<String> pieces, Duration perPiece, ErrorClass error) {
    script.add(new BreakMidStream(pieces, perPiece, error));
    return this;
  }

  /**
   * Opens a stream whose first chunk never comes: reading it blocks, in real time, until the stream
   * is closed or the reading thread interrupted, as a silent upstream does.
   */
  public ScriptedModel thenHang() {
    script.add(new Hang());
    return this;
  }

  /**
   * Streams exactly these chunks, {@code apart} before each, and then, {@code apart} after the
   * last, ends without adding a finish chunk of its own: for tool-call fragments, chunks without
   * output, usage sent mid-stream or a stream that ends without a finish reason.
   */
  public ScriptedModel thenChunks(List<ChatChunk> chunks, Duration apart) {
    script.add(new Chunks(List.copyOf(chunks), apart, null));
    return this;
  }

  /** As {@link #thenChunks}, but instead of ending the stream fails with this class. */
  public ScriptedModel thenChunksThenBreak(
      List<ChatChunk> chunks, Duration apart, ErrorClass error) {
    script.add(new Chunks(List.copyOf(chunks), apart, error));
    return this;
  }

  /**
   * Opens a stream whose first chunk waits, in real time, until {@code gate} opens, then streams
   * the pieces 10 ms apart. Neither a close nor an interrupt ends the wait: the chunk is already on
   * its way, as one that a connection holds.
   */
  public ScriptedModel thenStreamOnceOpen(CountDownLatch gate, List<String> pieces) {
    script.add(new Gated(gate, pieces));
    return this;
  }

  /** Requests this model received, in order. */
  public List<ChatRequest> received() {
    return received;
  }

  /** The timeout each call was given, in order. */
  public List<Duration> timeouts() {
    return timeouts;
  }

  /** The name of the thread that made each call, in order. */
  public List<String> callers() {
    return callers;
  }

  public int calls() {
    return received.size();
  }

  public boolean lastStreamClosed() {
    return lastStreamClosed.get();
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    Step step = begin(request, options);
    return switch (step) {
      case Fail fail -> {
        clock.advance(fail.after());
        throw failure(fail.error(), fail.retryAfter());
      }
      case Crash crash -> throw new IllegalStateException("scripted crash");
      case EmptyStream empty -> throw new IllegalStateException("an empty stream has no answer");
      case CrashMidStream crash -> throw new IllegalStateException("scripted crash");
      case Hang hang -> throw new IllegalStateException("a hanging stream has no answer");
      case Chunks chunks -> throw new IllegalStateException("scripted chunks are for streams");
      case Gated gated -> throw new IllegalStateException("a gated stream is for streams");
      case BreakMidStream broken -> {
        clock.advance(broken.perPiece().multipliedBy(broken.pieces().size()));
        throw failure(broken.error(), null);
      }
      case Reply reply -> {
        clock.advance(
            reply.firstToken().plus(reply.perPiece().multipliedBy(reply.pieces().size() - 1L)));
        yield new ChatResponse(
            "scripted-" + received.size(),
            info.id(),
            ChatMessage.assistant(String.join("", reply.pieces())),
            FinishReason.STOP,
            Optional.of(reply.usage()));
      }
    };
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    Step step = begin(request, options);
    if (step instanceof Fail fail) {
      clock.advance(fail.after());
      throw failure(fail.error(), fail.retryAfter());
    }
    if (step instanceof Crash) {
      throw new IllegalStateException("scripted crash");
    }
    lastStreamClosed.set(false);
    if (step instanceof Chunks chunks) {
      return new ChunkStream(chunks);
    }
    return new ScriptedStream(step);
  }

  @Override
  public ModelStatus status() {
    return ModelStatus.READY;
  }

  private Step begin(ChatRequest request, CallOptions options) {
    callers.add(Thread.currentThread().getName());
    received.add(request);
    timeouts.add(options.timeout());
    Step step = script.poll();
    return step != null
        ? step
        : new Reply(List.of("ok"), DEFAULT_LATENCY, Duration.ZERO, new Usage(10, 1));
  }

  private ProviderException failure(ErrorClass error, Duration retryAfter) {
    return ScriptedProvider.Failures.of(error, info.providerId(), info.id(), retryAfter);
  }

  private final class ChunkStream implements ChatStream {
    private final Chunks script;
    private int next;
    private boolean over;

    ChunkStream(Chunks script) {
      this.script = script;
    }

    @Override
    public Optional<ChatChunk> next() {
      if (lastStreamClosed.get()) {
        throw new ProviderException.Cancelled(info.providerId(), info.id(), "closed", null);
      }
      if (next < script.chunks().size()) {
        clock.advance(script.apart());
        return Optional.of(script.chunks().get(next++));
      }
      if (!over) {
        over = true;
        clock.advance(script.apart());
        if (script.breakWith() != null) {
          throw failure(script.breakWith(), null);
        }
      }
      return Optional.empty();
    }

    @Override
    public void close() {
      lastStreamClosed.set(true);
    }
  }

  private final class ScriptedStream implements ChatStream {
    private final List<String> pieces;
    private final Duration firstToken;
    private final Duration perPiece;
    private final Usage usage;
    private final ErrorClass breakWith;
    private final boolean crash;
    private final boolean empty;
    private final boolean hang;
    private final CountDownLatch gate;
    private final CountDownLatch closed = new CountDownLatch(1);
    private int next;
    private boolean finished;

    ScriptedStream(Step step) {
      Duration tenMs = Duration.ofMillis(10);
      switch (step) {
        case Reply reply -> {
          pieces = reply.pieces();
          firstToken = reply.firstToken();
          perPiece = reply.perPiece();
          usage = reply.usage();
          breakWith = null;
        }
        case BreakMidStream broken -> {
          pieces = broken.pieces();
          firstToken = broken.perPiece();
          perPiece = broken.perPiece();
          usage = null;
          breakWith = broken.error();
        }
        case Gated gated -> {
          pieces = gated.pieces();
          firstToken = tenMs;
          perPiece = tenMs;
          usage = null;
          breakWith = null;
        }
        case CrashMidStream crashing -> {
          pieces = crashing.pieces();
          firstToken = tenMs;
          perPiece = tenMs;
          usage = null;
          breakWith = null;
        }
        default -> {
          pieces = List.of();
          firstToken = Duration.ZERO;
          perPiece = Duration.ZERO;
          usage = null;
          breakWith = null;
        }
      }
      crash = step instanceof CrashMidStream;
      empty = step instanceof EmptyStream;
      hang = step instanceof Hang;
      gate = step instanceof Gated gated ? gated.gate() : null;
    }

    @Override
    public Optional<ChatChunk> next() {
      if (lastStreamClosed.get()) {
        throw new ProviderException.Cancelled(info.providerId(), info.id(), "closed", null);
      }
      if (hang) {
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new ProviderException.Cancelled(info.providerId(), info.id(), "stopped", null);
      }
      if (next == 0 && gate != null) {
        awaitGate();
      }
      if (next < pieces.size()) {
        clock.advance(next == 0 ? firstToken : perPiece);
        return Optional.of(ChatChunk.content(info.id(), pieces.get(next++)));
      }
      if (breakWith != null) {
        throw failure(breakWith, null);
      }
      if (crash) {
        throw new IllegalStateException("scripted crash mid-stream");
      }
      if (!finished && !empty) {
        finished = true;
        return Optional.of(ChatChunk.finish(info.id(), FinishReason.STOP, usage));
      }
      return Optional.empty();
    }

    private void awaitGate() {
      boolean interrupted = false;
      while (true) {
        try {
          gate.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      lastStreamClosed.set(true);
      closed.countDown();
    }
  }
}
