package dev.tta.models.testkit.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of the HTTP server: the peer's front door. It sees every connection a client
 * opens and when the client closes it, which is how tests check, on the peer's side, that a
 * cancelled stream closed its connection and that a closed provider holds none. It also makes the
 * failures a well-behaved server will not: a connection that is accepted and never answered, one
 * reset at once, and a response that stops after part of its body.
 */
final class TcpRelay implements AutoCloseable {

  /** What the relay does from now on, with new connections and with the next request on others. */
  sealed interface Mode permits Forward, Stall, Reset, StallAfterBody {}

  /** Pass everything through. */
  record Forward() implements Mode {}

  /** Accept, read the request, never answer. */
  record Stall() implements Mode {}

  /** Accept and reset the connection at once. */
  record Reset() implements Mode {}

  /** Pass the response head and this many body bytes, then send nothing more. */
  record StallAfterBody(long bodyBytes) implements Mode {}

  private static final int BUFFER = 8192;

  private final int targetPort;
  private final ServerSocket server;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final Object changes = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Mode mode = new Forward();

  TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  void start() {
    Thread.ofVirtual().name("mm-relay-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  /** A mark in the connection history: later calls look at the connections accepted after it. */
  int mark() {
    return connections.size();
  }

  List<Connection> since(int mark) {
    return List.copyOf(connections.subList(mark, connections.size()));
  }

  /** Waits until every connection accepted since the mark is closed. */
  boolean awaitClosedSince(int mark, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changes) {
      while (since(mark).stream().anyMatch(c -> !c.isClosed())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(changes, left);
      }
      return true;
    }
  }

  private void accept() {
    while (!closed.get()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Connection connection = new Connection(client);
      connections.add(connection);
      connection.start();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing a listening socket cannot fail in a way worth reporting
      }
      connections.forEach(Connection::close);
    }
  }

  /**
   * One client connection as the peer sees it. The relay's mode is read each time the client sends
   * request bytes, so it also applies to a connection a client pools and reuses: a stalled one
   * stops forwarding requests, and a limited one counts the body of the response to the request
   * just sent (HTTP/1.1 clients send a request only once the previous response is complete).
   */
  final class Connection {
    private final Socket client;
    private final AtomicLong bytesToClient = new AtomicLong();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object responseState = new Object();
    private volatile Socket upstream;
    private volatile boolean stalled;
    private int headMatch;
    private boolean inBody;
    private long body;
    private long bodyLimit = Long.MAX_VALUE;

    private Connection(Socket client) {
      this.client = client;
    }

    private void start() {
      if (mode instanceof Reset) {
        reset();
        return;
      }
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      } catch (IOException e) {
        close();
        return;
      }
      Thread.ofVirtual().start(this::drain);
      Thread.ofVirtual().start(this::respond);
    }

    private void reset() {
      try {
        client.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // the close below still ends the connection
      }
      close();
    }

    /** Client to upstream, unless stalled; the client closing ends the connection. */
    private void drain() {
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = client.getInputStream()) {
        OutputStream out = upstream.getOutputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          switch (mode) {
            case Reset reset -> {
              reset();
              return;
            }
            case Stall stall -> stalled = true;
            case StallAfterBody limited -> expectResponse(limited.bodyBytes());
            case Forward forward -> expectResponse(Long.MAX_VALUE);
          }
          if (!stalled) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // the connection is over either way
      }
      close();
    }

    private void expectResponse(long limit) {
      synchronized (responseState) {
        headMatch = 0;
        inBody = false;
        body = 0;
        bodyLimit = limit;
      }
    }

    /** Upstream to client, stopping after the head and the allowed body bytes of a response. */
    private void respond() {
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = upstream.getInputStream()) {
        OutputStream out = client.getOutputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          int send;
          boolean limitReached;
          synchronized (responseState) {
            send = 0;
            for (int i = 0; i < n && !(inBody && body == bodyLimit); i++) {
              if (inBody) {
                body++;
              } else {
                byte b = buffer[i];
                headMatch = b == HEAD_END[headMatch] ? headMatch + 1 : b == '\r' ? 1 : 0;
                inBody = headMatch == HEAD_END.length;
              }
              send++;
            }
            limitReached = inBody && body == bodyLimit;
          }
          out.write(buffer, 0, send);
          out.flush();
          bytesToClient.addAndGet(send);
          if (limitReached) {
            closedLatch.await();
            return;
          }
        }
      } catch (IOException ignored) {
        // the connection is over either way
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      close();
    }

    boolean isClosed() {
      return closedLatch.getCount() == 0;
    }

    /** Bytes the peer sent this client, response heads included. */
    long bytesToClient() {
      return bytesToClient.get();
    }

    void close() {
      if (closedLatch.getCount() == 0) {
        return;
      }
      closeQuietly(client);
      closeQuietly(upstream);
      synchronized (changes) {
        closedLatch.countDown();
        changes.notifyAll();
      }
    }

    private static void closeQuietly(Socket socket) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing more to release
        }
      }
    }
  }

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
}
