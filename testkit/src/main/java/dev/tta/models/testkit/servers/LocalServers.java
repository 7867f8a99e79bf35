package dev.tta.models.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * What the real-server tests share: where a missing server binary leads (skipped with the reason on
 * a developer's machine, a failure in CI, where the environment variable {@code CI} is set and
 * {@code .ci/run} installs the servers), free loopback ports, and waiting for a port to open.
 */
public final class LocalServers {

  private LocalServers() {}

  /** Skips the test with the reason, or fails it in CI. */
  static void missing(String what) {
    String reason = what + " is not installed (Debian: apt-get install redis-server postgresql)";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank()) {
      throw new AssertionError("CI must run the storage tests against real servers: " + reason);
    }
    Assumptions.abort(reason);
  }

  /** A port free on the loopback address now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until something accepts connections on the loopback port, or the process died. */
  static void awaitPort(int port, Process process, Duration max, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue());
      }
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
      }
    }
    throw new IllegalStateException(what + " did not open port " + port + " within " + max);
  }
}
