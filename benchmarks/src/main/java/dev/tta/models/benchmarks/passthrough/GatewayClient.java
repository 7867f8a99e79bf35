package dev.tta.models.benchmarks.passthrough;

import dev.tta.models.providers.http.HttpCall;
import dev.tta.models.providers.http.HttpReply;
import dev.tta.models.providers.http.JettyHttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The upstream call exactly as the gateway's providers make it ({@link JettyHttpTransport}: Jetty's
 * client, one write per request, {@code TCP_QUICKACK}), so that a pass-through proxy built on it
 * costs what the gateway's client costs and nothing of the gateway's own logic.
 */
final class GatewayClient {

  record Answer(int status, String contentType, byte[] body) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final JettyHttpTransport transport = new JettyHttpTransport(Duration.ofSeconds(5));
  private final URI upstream;

  GatewayClient(URI upstream) {
    this.upstream = upstream;
  }

  Answer post(byte[] body) throws IOException, InterruptedException, TimeoutException {
    try (HttpReply reply = transport.send(HttpCall.post(upstream, JSON, body), TIMEOUT)) {
      return new Answer(
          reply.status(),
          reply.header("Content-Type").orElse("application/json"),
          reply.readAll(TIMEOUT));
    }
  }
}
