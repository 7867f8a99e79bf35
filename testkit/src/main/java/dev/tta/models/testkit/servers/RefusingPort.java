package dev.tta.models.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback port where nothing listens, held so for as long as the test needs it: a socket is
 * bound to the port and never listens, so every connection is refused at once, and no other server
 * (of this test run, of a mutation run beside it, of another program) can start listening there. A
 * port that was merely found free and released is not enough: the next server that asks the system
 * for a port may be given it, and a test that expected "nothing there" then talks to that server.
 */
public final class RefusingPort implements AutoCloseable {

  private final Socket holder;

  private RefusingPort(Socket holder) {
    this.holder = holder;
  }

  /** Binds a loopback port that refuses connections until {@link #close()}. */
  public static RefusingPort open() {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new RefusingPort(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("could not bind a loopback port to hold", e);
    }
  }

  public int port() {
    return holder.getLocalPort();
  }

  /** {@code http://127.0.0.1:port}, without a trailing slash. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() {
    try {
      holder.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
