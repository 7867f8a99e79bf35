package dev.tta.models.providers.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A transport that answers from a script, for the failures a real server cannot be made to show on
 * demand, and that records what it was asked.
 */
public final class ScriptedTransport implements HttpTransport {

  /** One scripted answer: a reply, or a failure to throw. */
  @FunctionalInterface
  public interface Step {
    HttpReply answer(HttpCall call) throws IOException, InterruptedException;
  }

  private final Deque<Step> steps = new ArrayDeque<>();
  private final List<HttpCall> calls = new ArrayList<>();
  private final List<Duration> timeouts = new ArrayList<>();
  private boolean closed;

  public ScriptedTransport then(Step step) {
    steps.add(step);
    return this;
  }

  public ScriptedTransport thenReply(int status, String body, Map<String, String> headers) {
    return then(call -> reply(status, body, headers));
  }

  public ScriptedTransport thenReply(int status, String body) {
    return thenReply(status, body, Map.of());
  }

  public ScriptedTransport thenThrow(Exception failure) {
    return then(
        call -> {
          if (failure instanceof IOException e) {
            throw e;
          }
          if (failure instanceof InterruptedException e) {
            throw e;
          }
          throw (RuntimeException) failure;
        });
  }

  @Override
  public synchronized HttpReply send(HttpCall call, Duration timeout)
      throws IOException, InterruptedException {
    calls.add(call);
    timeouts.add(timeout);
    Step step = steps.poll();
    if (step == null) {
      throw new IllegalStateException("no scripted answer for " + call);
    }
    return step.answer(call);
  }

  public synchronized List<HttpCall> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Duration> timeouts() {
    return List.copyOf(timeouts);
  }

  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public static Reply reply(int status, String body, Map<String, String> headers) {
    return new Reply(
        status, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), headers);
  }

  /** A reply whose body never delivers a byte until it is closed. */
  public static Reply hangingReply(int status) {
    CountDownLatch closed = new CountDownLatch(1);
    InputStream body =
        new InputStream() {
          @Override
          public int read() throws IOException {
            try {
              closed.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted", e);
            }
            throw new IOException("closed");
          }

          @Override
          public void close() {
            closed.countDown();
          }
        };
    return new Reply(status, body, Map.of());
  }

  /** A scripted reply that notes whether it was closed. */
  public static final class Reply implements HttpReply {
    private final int status;
    private final InputStream body;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private volatile boolean closed;

    public Reply(int status, InputStream body, Map<String, String> headers) {
      this.status = status;
      this.body = body;
      this.headers.putAll(headers);
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    @Override
    public InputStream body() {
      return body;
    }

    public boolean closed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      try {
        body.close();
      } catch (IOException ignored) {
        // a scripted body cannot fail to close
      }
    }
  }
}
