package dev.tta.models.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body read as an {@link InputStream} that hands out every byte received before it
 * reports the failure that ended the body. The JDK's own ({@code BodyHandlers.ofInputStream()})
 * throws as soon as the failure is known, dropping bytes already received: a stream whose last
 * tokens arrive together with a cut connection would lose those tokens, and a break that came after
 * text would look like one before any. Closing it cancels the exchange, which closes the
 * connection, and ends a read blocked on another thread.
 */
final class ReceivedBodyStream extends InputStream
    implements HttpResponse.BodySubscriber<InputStream> {

  /** What the exchange delivered, in order: bytes, then how the body ended. */
  private sealed interface Received {}

  private record Bytes(List<ByteBuffer> buffers) implements Received {}

  /** The end of the body: normal when {@code failure} is null; a close ends it so too. */
  private record Ending(IOException failure) implements Received {}

  private static final Ending END = new Ending(null);

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private Flow.Subscription subscription;
  private boolean closed;
  private Iterator<ByteBuffer> buffers;
  private ByteBuffer current;
  private Ending ending;

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription given) {
    boolean cancel;
    synchronized (this) {
      cancel = closed;
      subscription = given;
    }
    if (cancel) {
      given.cancel();
    } else {
      given.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    received.add(new Bytes(item));
  }

  @Override
  public void onError(Throwable throwable) {
    received.add(
        new Ending(
            throwable instanceof IOException io
                ? io
                : new IOException("the response body failed", throwable)));
  }

  @Override
  public void onComplete() {
    received.add(END);
  }

  @Override
  public int read() throws IOException {
    ByteBuffer buffer = current();
    return buffer == null ? -1 : buffer.get() & 0xff;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return 0;
    }
    ByteBuffer buffer = current();
    if (buffer == null) {
      return -1;
    }
    int count = Math.min(length, buffer.remaining());
    buffer.get(bytes, offset, count);
    return count;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  /**
   * The buffer with bytes to read next; null at the end; throws once the bytes before a failure are
   * read.
   */
  private ByteBuffer current() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (isClosed()) {
        throw new IOException("closed");
      }
      if (ending != null) {
        if (ending.failure() != null) {
          throw new IOException(ending.failure().getMessage(), ending.failure());
        }
        return null;
      }
      if (buffers != null && buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      Received next;
      try {
        next = received.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the response body");
      }
      switch (next) {
        case Ending end -> ending = end;
        case Bytes bytes -> {
          buffers = bytes.buffers().iterator();
          requestMore();
        }
      }
    }
    return current;
  }

  private void requestMore() {
    Flow.Subscription given;
    synchronized (this) {
      given = subscription;
    }
    if (given != null) {
      given.request(1);
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    Flow.Subscription given;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      given = subscription;
    }
    if (given != null) {
      given.cancel();
    }
    // wakes a read blocked on another thread, which then finds the stream closed
    received.add(END);
  }
}
