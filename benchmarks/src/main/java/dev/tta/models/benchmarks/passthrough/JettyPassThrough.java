package dev.tta.models.benchmarks.passthrough;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code POST /v1/chat/completions} passed to one upstream and its answer returned, on Jetty 12's
 * core handler API (the server under Javalin, without the servlet layer and Javalin) with virtual
 * threads as Javalin configures them, and the gateway's client ({@link GatewayClient}): what
 * staying on Jetty but leaving the servlet layer would save. Usage: {@code JettyPassThrough PORT
 * UPSTREAM_URL}; prints {@code ready} once it listens.
 */
public final class JettyPassThrough {

  private JettyPassThrough() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    GatewayClient client = new GatewayClient(URI.create(args[1]));
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            if (!"POST".equals(request.getMethod())
                || !"/v1/chat/completions".equals(Request.getPathInContext(request))) {
              return false;
            }
            ByteBuffer body = Content.Source.asByteBuffer(request);
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            GatewayClient.Answer answer = client.post(bytes);
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
            return true;
          }
        });
    server.start();
    System.out.println("ready");
  }
}
