package dev.tta.models.server.openai;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a client that closed its connection while its request is served, so that the upstream
 * call is cancelled at once instead of when (if ever) a write to the client fails. Jetty reads a
 * connection only when a handler reads its request, so a client that hangs up during a long
 * generation goes unnoticed; this asks Jetty to report the connection readable, and on that reads
 * one byte: the end of the stream, or a reset, means the client is gone. The request body has been
 * read by then, and a client sends nothing more on the connection before the answer to a POST (RFC
 * 9112 forbids pipelining after a non-idempotent request), so the byte read is never part of
 * another request; should a client send one anyway, the watch stops and says so in the log.
 */
final class ClientDisconnect implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClientDisconnect.class);
  private static final CancellationException DONE =
      new CancellationException("the request is over");

  private final EndPoint endPoint;
  private final Runnable onGone;
  private final Callback readable = Callback.from(this::onReadable, failure -> {});
  private boolean closed;

  private ClientDisconnect(EndPoint endPoint, Runnable onGone) {
    this.endPoint = endPoint;
    this.onGone = onGone;
  }

  /**
   * Watches the request's connection until closed; {@code onGone} runs once, on a Jetty thread, if
   * the client leaves meanwhile.
   */
  static ClientDisconnect watch(Context ctx, Runnable onGone) {
    EndPoint endPoint =
        ServletContextRequest.getServletContextRequest(ctx.req())
            .getConnectionMetaData()
            .getConnection()
            .getEndPoint();
    ClientDisconnect watch = new ClientDisconnect(endPoint, onGone);
    watch.arm();
    return watch;
  }

  private synchronized void arm() {
    if (!closed) {
      endPoint.tryFillInterested(readable);
    }
  }

  private void onReadable() {
    int read;
    // under the lock close() takes: Jetty may report the connection readable without anything to
    // read and run this late, and a read after close() could take the first byte of the client's
    // next request (seen under load as "no such endpoint: OST /v1/chat/completions")
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        // an empty buffer in Jetty's convention (flush mode) with room for one byte
        read = endPoint.fill(BufferUtil.allocate(1));
      } catch (IOException e) {
        read = -1;
      }
    }
    if (read < 0) {
      gone();
    } else if (read == 0) {
      arm();
    } else {
      LOG.debug("a client sent bytes before its answer; no longer watching {}", endPoint);
    }
  }

  private void gone() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    onGone.run();
  }

  /**
   * Stops watching, before the answer is complete: Jetty then reads the connection again for the
   * client's next request.
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (endPoint instanceof AbstractEndPoint jetty) {
        jetty.getFillInterest().onFail(DONE);
      }
    }
  }
}
