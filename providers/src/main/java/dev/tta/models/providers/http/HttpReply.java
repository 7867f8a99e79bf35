package dev.tta.models.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response whose status and headers have arrived and whose body is read as it comes. Closing it
 * before the body has been read to the end aborts the exchange and closes its connection, which is
 * how a cancelled stream stops the upstream work.
 */
public interface HttpReply extends AutoCloseable {

  /**
   * The most of an upstream's answer held in memory at once: a body read whole, or one event of a
   * stream. Eight MiB is several times the longest answer a model writes (128k tokens of text, even
   * with every character JSON-escaped) and twenty times OpenRouter's whole catalog; a server that
   * sends more, or without end (a flood, a proxy's error page in a loop), would otherwise fill the
   * gateway's heap in a second over a fast link.
   */
  int MAX_HELD_BYTES = 8 * 1024 * 1024;

  int status();

  /** The first value of a header, matched case-insensitively. */
  Optional<String> header(String name);

  InputStream body();

  /**
   * The whole body, read within {@code timeout}. This reads it on a thread of its own, so that the
   * wait has a limit; a transport that can wait for the end without one does so.
   *
   * @throws TimeoutException when the body has not ended in time; the caller closes the reply
   * @throws OversizedAnswerException when the body is larger than {@link #MAX_HELD_BYTES}; the
   *     caller closes the reply
   * @throws IOException when the body failed
   * @throws InterruptedException when the calling thread was interrupted
   */
  default byte[] readAll(Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("mm-body")
        .start(
            () -> {
              try {
                byte[] bytes = body().readNBytes(MAX_HELD_BYTES + 1);
                if (bytes.length > MAX_HELD_BYTES) {
                  throw new OversizedAnswerException("the answer's body");
                }
                read.complete(bytes);
              } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
              }
            });
    try {
      return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException unexpected) {
        throw unexpected;
      }
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException("the response body failed", e.getCause());
    }
  }

  /** Releases the response; idempotent; never throws. */
  @Override
  void close();
}
