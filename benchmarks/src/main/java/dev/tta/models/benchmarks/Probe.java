package dev.tta.models.benchmarks;

import dev.tta.models.testkit.llamacpp.LlamaServerLikePeer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * The benchmark harness's own client and peer ({@code benchmarks/bench-gateway.sh}), for what wrk
 * cannot measure: one request at a time over one keep-alive connection, timing a whole answer, or a
 * stream's head, first token and end. The client writes each request in one write and acknowledges
 * answers at once (Linux's {@code TCP_QUICKACK}), so that it measures the server and not the
 * client's own delayed acknowledgements. Usage:
 *
 * <pre>
 * java -cp benchmarks.jar dev.tta.models.benchmarks.Probe plain  URL MODEL N WARMUP
 * java -cp benchmarks.jar dev.tta.models.benchmarks.Probe stream URL MODEL N WARMUP
 * java -cp benchmarks.jar dev.tta.models.benchmarks.Probe llama-peer PORT [MS_PER_TOKEN]
 * </pre>
 *
 * Prints one line: {@code RESULT mode p50_total_ms=... p90_total_ms=...} and, for a stream, the
 * medians of the head and the first token.
 */
public final class Probe {

  private static final String BODY =
      "{\"model\":\"%s\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful"
          + " assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one word.\"}],"
          + "\"max_tokens\":16%s}";

  private Probe() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "llama-peer" -> {
        Duration perToken =
            Duration.ofNanos(
                Math.round(Double.parseDouble(args.length > 2 ? args[2] : "0") * 1_000_000));
        try (LlamaServerLikePeer peer =
            LlamaServerLikePeer.start(Integer.parseInt(args[1]), perToken)) {
          System.out.println("ready on " + peer.port());
          Thread.currentThread().join();
        }
      }
      case "plain", "stream" -> {
        boolean stream = args[0].equals("stream");
        URI uri = URI.create(args[1]);
        int n = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        byte[] request = request(uri, BODY.formatted(args[2], stream ? ",\"stream\":true" : ""));
        double[] total = new double[n];
        double[] head = new double[n];
        double[] first = new double[n];
        try (Connection connection = new Connection(uri)) {
          for (int i = -warmup; i < n; i++) {
            Timing t = connection.exchange(request);
            if (i >= 0) {
              total[i] = t.totalMs();
              head[i] = t.headMs();
              first[i] = t.firstTokenMs();
            }
          }
        }
        System.out.printf(
            Locale.ROOT,
            "RESULT %s p50_total_ms=%.3f p90_total_ms=%.3f p50_head_ms=%.3f p50_first_token_ms=%.3f%n",
            args[0],
            percentile(total, 50),
            percentile(total, 90),
            percentile(head, 50),
            percentile(first, 50));
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static byte[] request(URI uri, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + uri.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** Milliseconds from sending to the response head, the first token and the end. */
  private record Timing(double headMs, double firstTokenMs, double totalMs) {}

  /** One keep-alive connection. */
  private static final class Connection implements AutoCloseable {
    private static final byte[] NON_EMPTY_CONTENT =
        "\"content\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean quickAck;

    Connection(URI uri) throws IOException {
      socket = new Socket(uri.getHost(), uri.getPort());
      socket.setTcpNoDelay(true);
      quickAck = socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = socket.getOutputStream();
    }

    Timing exchange(byte[] request) throws IOException {
      long start = System.nanoTime();
      out.write(request);
      if (quickAck) {
        socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      }
      String head = readHead();
      long headAt = System.nanoTime();
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IOException("not a 200 answer: " + head.lines().findFirst().orElse(head));
      }
      String lower = head.toLowerCase(Locale.ROOT);
      FirstToken seen = new FirstToken();
      if (lower.contains("transfer-encoding: chunked")) {
        while (true) {
          String size = readLine();
          int length = Integer.parseInt(size.split(";")[0].trim(), 16);
          if (length == 0) {
            readLine();
            break;
          }
          seen.scan(in.readNBytes(length));
          readLine();
        }
      } else {
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
        seen.scan(in.readNBytes(length));
      }
      long end = System.nanoTime();
      long firstAt = seen.at == 0 ? end : seen.at;
      return new Timing((headAt - start) / 1e6, (firstAt - start) / 1e6, (end - start) / 1e6);
    }

    private String readHead() throws IOException {
      StringBuilder head = new StringBuilder();
      int lastFour = 0;
      while (lastFour != 0x0d0a0d0a) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed");
        }
        head.append((char) b);
        lastFour = (lastFour << 8) | b;
      }
      return head.toString();
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("the connection closed");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    /** Notes when the first non-empty {@code "content":"x} arrived. */
    private static final class FirstToken {
      long at;

      void scan(byte[] data) {
        if (at != 0) {
          return;
        }
        outer:
        for (int i = 0; i + NON_EMPTY_CONTENT.length < data.length; i++) {
          for (int j = 0; j < NON_EMPTY_CONTENT.length; j++) {
            if (data[i + j] != NON_EMPTY_CONTENT[j]) {
              continue outer;
            }
          }
          if (data[i + NON_EMPTY_CONTENT.length] != '"') {
            at = System.nanoTime();
            return;
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
