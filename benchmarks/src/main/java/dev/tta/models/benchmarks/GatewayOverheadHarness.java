package dev.tta.models.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;

/**
 * What the gateway adds to a chat call: the same non-streamed request sent many times straight to
 * an OpenAI-compatible upstream that answers at once, and through the gateway to that upstream, one
 * request at a time on the loopback interface. The difference of the two latency distributions is
 * the gateway's own work (parsing, selection checks, routing, measuring, writing) plus one extra
 * loopback hop. Run:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tta.models.benchmarks.GatewayOverheadHarness [n]
 * </pre>
 */
public final class GatewayOverheadHarness {

  private static final String MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\","
          + "\"created\":1721172741,\"owned_by\":\"system\"}]}";
  private static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1741569952,"
          + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Hello! How can I assist you today?\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29}}";
  private static final String REQUEST =
      "{\"model\":\"%s\",\"max_tokens\":32,\"messages\":[{\"role\":\"system\",\"content\":"
          + "\"You narrate a text adventure.\"},{\"role\":\"user\",\"content\":\"Open the door.\"}]}";

  private GatewayOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/models", exchange -> reply(exchange, MODELS));
    upstream.createContext("/v1/chat/completions", exchange -> reply(exchange, ANSWER));
    upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    upstream.start();
    String upstreamBase = "http://127.0.0.1:" + upstream.getAddress().getPort();
    String yaml =
        """
        server: {port: 0}
        providers:
          - {name: upstream, type: custom_api, base_url: "%s/v1"}
        """
            .formatted(upstreamBase);
    GatewayConfig config =
        new ConfigReader(Map.of())
            .parse(yaml, "harness", Path.of(System.getProperty("java.io.tmpdir")));
    GatewayServer gateway = GatewayServer.start(GatewayRuntime.start(config));
    HttpClient client = HttpClient.newHttpClient();
    try {
      URI direct = URI.create(upstreamBase + "/v1/chat/completions");
      URI viaGateway = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
      run(client, direct, "gpt-4o-mini", requests / 2);
      run(client, viaGateway, "upstream/gpt-4o-mini", requests / 2);
      Histogram straight = run(client, direct, "gpt-4o-mini", requests);
      Histogram through = run(client, viaGateway, "upstream/gpt-4o-mini", requests);
      Histogram auto = run(client, viaGateway, "auto", requests);
      System.out.printf(Locale.ROOT, "%d sequential requests each, microseconds%n", requests);
      print("upstream directly", straight);
      print("gateway, model key", through);
      print("gateway, auto", auto);
      System.out.printf(
          Locale.ROOT,
          "added at the median: %d µs (model key), %d µs (auto)%n",
          through.getValueAtPercentile(50) - straight.getValueAtPercentile(50),
          auto.getValueAtPercentile(50) - straight.getValueAtPercentile(50));
    } finally {
      gateway.close();
      upstream.stop(0);
    }
  }

  private static Histogram run(HttpClient client, URI uri, String model, int requests)
      throws IOException, InterruptedException {
    Histogram histogram = new Histogram(3);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(REQUEST.formatted(model)))
            .build();
    for (int i = 0; i < requests; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      histogram.recordValue((System.nanoTime() - start) / 1_000);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            uri + " answered " + response.statusCode() + ": " + response.body());
      }
    }
    return histogram;
  }

  private static void print(String name, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%-20s p50 %6d  p90 %6d  p99 %6d  max %7d%n",
        name,
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(90),
        h.getValueAtPercentile(99),
        h.getMaxValue());
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
