package dev.tta.models.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A closed {@link FaultyUpstream} leaves no thread behind, not even one holding a connection. */
class FaultyUpstreamThreadsTest {

  static final Set<String> UPSTREAM_CODE = Set.of("dev.tta.models.testkit.faults.");

  @Test
  void close_withAHeldConnectionAndAnIdleOne_noUpstreamThreadLeft() throws IOException {
    String chat =
        "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    String request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + chat.length()
            + "\r\n\r\n"
            + chat;
    FaultyUpstream upstream = FaultyUpstream.start();
    upstream.enqueue(Fault.noResponse());
    try (Socket held = new Socket(InetAddress.getLoopbackAddress(), upstream.port());
        Socket idle = new Socket(InetAddress.getLoopbackAddress(), upstream.port())) {
      OutputStream out = held.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      upstream.awaitChatRequests(1, Duration.ofSeconds(5));
      upstream.awaitOpenConnections(2, Duration.ofSeconds(5));
      assertThat(idle.isConnected()).isTrue();
      List<String> running = ThreadLeaks.threadsRunning(UPSTREAM_CODE);
      assertThat(running).as("the check sees the upstream's threads while it runs").hasSize(3);

      upstream.close();

      assertThat(ThreadLeaks.threadsRunning(UPSTREAM_CODE)).isEmpty();
    }
  }
}
