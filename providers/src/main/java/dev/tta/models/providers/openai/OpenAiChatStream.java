package dev.tta.models.providers.openai;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.EventSizeLimit;
import dev.tta.models.providers.http.HttpReply;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.http.SseReader;
import dev.tta.models.time.TimeSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed answer. A virtual thread reads the body and hands events over a bounded queue (so a
 * slow consumer slows the reading); the consumer waits on that queue with the call's timeout for
 * the first event and its idle timeout for each next one. Closing interrupts the reader and closes
 * the response, which closes the connection and so stops the server.
 */
final class OpenAiChatStream implements ChatStream {

  /** Events read ahead of the consumer at most. */
  static final int READ_AHEAD = 256;

  private sealed interface Signal permits Event, End, Failed, Closed {}

  private record Event(SseEvent event) implements Signal {}

  private record End() implements Signal {}

  private record Failed(IOException failure) implements Signal {}

  private record Closed() implements Signal {}

  private final ProviderId provider;
  private final String modelId;
  private final HttpReply reply;
  private final StreamDecoder decoder;
  private final OpenAiErrors errors;
  private final TimeSource time;
  private final Duration idleTimeout;
  private final Duration firstTimeout;
  private final long firstEventDeadline;
  private final Set<OpenAiChatStream> registry;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>(READ_AHEAD);
  private final Deque<ChatChunk> ready = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile Thread reader;
  private boolean eventSeen;
  private boolean ended;
  private ProviderException failure;

  private OpenAiChatStream(
      ProviderId provider,
      String modelId,
      HttpReply reply,
      OpenAiErrors errors,
      StreamDecoder decoder,
      TimeSource time,
      CallOptions options,
      long startNanos,
      Set<OpenAiChatStream> registry) {
    this.provider = provider;
    this.modelId = modelId;
    this.reply = reply;
    this.errors = errors;
    this.decoder = decoder;
    this.time = time;
    this.firstTimeout = options.timeout();
    this.idleTimeout = options.idleTimeout();
    this.firstEventDeadline = startNanos + firstTimeout.toNanos();
    this.registry = registry;
  }

  /**
   * Starts reading a stream whose response head has arrived.
   *
   * @param startNanos when the call started, on {@code time}'s ticker: the first event must come
   *     within the options' timeout of it, each next one within their idle timeout
   * @param registry the open streams of the client: this one is in it until it ends, fails or is
   *     closed
   */
  static OpenAiChatStream open(
      ProviderId provider,
      String modelId,
      HttpReply reply,
      OpenAiErrors errors,
      StreamDecoder decoder,
      TimeSource time,
      CallOptions options,
      long startNanos,
      Set<OpenAiChatStream> registry) {
    OpenAiChatStream stream =
        new OpenAiChatStream(
            provider, modelId, reply, errors, decoder, time, options, startNanos, registry);
    registry.add(stream);
    stream.reader = Thread.ofVirtual().name("mm-sse-" + provider).start(stream::read);
    return stream;
  }

  private void read() {
    try {
      if (decoder.lineDelimited()) {
        readLines();
      } else {
        SseReader events = new SseReader(reply.body());
        for (Optional<SseEvent> event = events.next(); event.isPresent(); event = events.next()) {
          signals.put(new Event(event.get()));
        }
      }
      signals.put(new End());
    } catch (IOException e) {
      if (!closed.get()) {
        signals.offer(new Failed(e));
      }
    } catch (InterruptedException e) {
      // closed: the consumer no longer listens
    }
  }

  private void readLines() throws IOException, InterruptedException {
    EventSizeLimit limit =
        new EventSizeLimit(new InputStreamReader(reply.body(), StandardCharsets.UTF_8));
    BufferedReader lines = new BufferedReader(limit);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!line.isBlank()) {
        signals.put(new Event(SseEvent.data(line)));
      }
      limit.nextEvent();
    }
  }

  @Override
  public Optional<ChatChunk> next() {
    while (true) {
      if (closed.get()) {
        throw cancelled();
      }
      if (!ready.isEmpty()) {
        return Optional.of(ready.poll());
      }
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return Optional.empty();
      }
      handle(await());
    }
  }

  private Signal await() {
    long waitNanos =
        eventSeen ? idleTimeout.toNanos() : Math.max(0, firstEventDeadline - time.nanoTime());
    Signal signal;
    try {
      signal = signals.poll(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw cancelled();
    }
    if (signal == null) {
      throw fail(
          new ProviderException.Timeout(
              provider,
              modelId,
              eventSeen
                  ? "no next chunk within " + idleTimeout.toMillis() + " ms"
                  : "no first chunk within " + firstTimeout.toMillis() + " ms",
              null));
    }
    return signal;
  }

  private void handle(Signal signal) {
    try {
      switch (signal) {
        case Event event -> {
          eventSeen = true;
          ready.addAll(decoder.onEvent(event.event()));
        }
        case End end -> {
          ready.addAll(decoder.onEnd());
          ended = true;
          release();
        }
        case Failed failed -> throw errors.fromFailure(modelId, "stream", failed.failure());
        case Closed closedSignal -> throw cancelled();
      }
    } catch (ProviderException e) {
      throw fail(e);
    }
  }

  private ProviderException fail(ProviderException e) {
    if (!(e instanceof ProviderException.Cancelled)) {
      failure = e;
    }
    release();
    return e;
  }

  private ProviderException.Cancelled cancelled() {
    return new ProviderException.Cancelled(provider, modelId, "the stream was closed", null);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release();
      signals.clear();
      signals.offer(new Closed());
    }
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      Thread thread = reader;
      if (thread != null) {
        thread.interrupt();
      }
      reply.close();
      registry.remove(this);
    }
  }
}
