package dev.tta.models.benchmarks.passthrough;

import io.javalin.Javalin;
import java.net.URI;

/**
 * The floor of the gateway's own stack: {@code POST /v1/chat/completions} passed to one upstream
 * and its answer returned, on the gateway's server (Javalin 7 on Jetty 12, virtual threads) and
 * client ({@link GatewayClient}), with no routing, JSON, history or metrics. Usage: {@code
 * JavalinPassThrough PORT UPSTREAM_URL}; prints {@code ready} once it listens.
 */
public final class JavalinPassThrough {

  private JavalinPassThrough() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    GatewayClient client = new GatewayClient(URI.create(args[1]));
    Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              // as the gateway serves: one virtual thread per request
              config.concurrency.useVirtualThreads = true;
              config.routes.post(
                  "/v1/chat/completions",
                  ctx -> {
                    GatewayClient.Answer answer = client.post(ctx.bodyAsBytes());
                    ctx.status(answer.status())
                        .contentType(answer.contentType())
                        .result(answer.body());
                  });
            })
        .start("127.0.0.1", port);
    System.out.println("ready");
  }
}
