package dev.tta.models.benchmarks.passthrough;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import java.net.URI;

/**
 * {@code POST /v1/chat/completions} passed to one upstream and its answer returned, on Helidon SE
 * 4's web server (its own HTTP/1.1 implementation, a virtual thread per connection), with either
 * Helidon's blocking web client ({@code helidon}) or the gateway's Jetty client ({@code jetty}), so
 * that the server's cost and the client's can be told apart. Usage: {@code HelidonPassThrough PORT
 * UPSTREAM_URL helidon|jetty}; prints {@code ready} once it listens.
 */
public final class HelidonPassThrough {

  private HelidonPassThrough() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String upstream = args[1];
    Handler forward =
        switch (args[2]) {
          case "helidon" -> helidonClient(upstream);
          case "jetty" -> jettyClient(upstream);
          default -> throw new IllegalArgumentException("client: helidon or jetty, was " + args[2]);
        };
    WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        .routing(routing -> routing.post("/v1/chat/completions", forward))
        .build()
        .start();
    System.out.println("ready");
  }

  private static Handler helidonClient(String upstream) {
    WebClient client = WebClient.builder().build();
    return (request, response) -> {
      byte[] body = request.content().as(byte[].class);
      try (HttpClientResponse answer =
          client.post(upstream).header(HeaderValues.CONTENT_TYPE_JSON).submit(body)) {
        response.status(answer.status());
        answer
            .headers()
            .first(HeaderNames.CONTENT_TYPE)
            .ifPresent(type -> response.header(HeaderNames.CONTENT_TYPE, type));
        response.send(answer.entity().as(byte[].class));
      }
    };
  }

  private static Handler jettyClient(String upstream) {
    GatewayClient client = new GatewayClient(URI.create(upstream));
    return (request, response) -> {
      GatewayClient.Answer answer = client.post(request.content().as(byte[].class));
      response.status(Status.create(answer.status()));
      response.header(HeaderNames.CONTENT_TYPE, answer.contentType());
      response.send(answer.body());
    };
  }
}
