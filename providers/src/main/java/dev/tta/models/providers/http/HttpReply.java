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

  int status();

  /** The first value of a header, matched case-insensitively. */
  Optional<String> header(String name);

  InputStream body();

  /**
   * The whole body, read within {@code timeout}. This reads it on a thread of its own, so that the
   * wait has a limit; a transport that can wait for the end without one does so.
   *
   * @throws TimeoutException when the body has not ended in time; the caller closes the reply
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
                read.complete(body().readAllBytes());
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
