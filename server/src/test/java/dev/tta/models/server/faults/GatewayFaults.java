package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.Message;
import dev.tta.models.testkit.faults.ReceivedRequest;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the fault tests share: upstreams and a gateway started for one test and closed after it (the
 * gateway first, so that no call of it outlives its upstream), and the usual scene of a model
 * {@code primary/m} that falls back to {@code backup/m}, both answering the same deterministic
 * text.
 */
abstract class GatewayFaults {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String PRIMARY = "primary/m";
  static final String BACKUP = "backup/m";
  static final List<Message> CONVERSATION =
      List.of(Message.system("You tell short stories."), Message.user("Tell me about the sea"));

  private static final AtomicBoolean WARM = new AtomicBoolean();

  @TempDir Path dataDir;

  private final List<AutoCloseable> opened = new ArrayList<>();

  /**
   * Serves one answer, whole and streamed, before the first test of a JVM. A cold JVM (classes
   * loading, nothing compiled yet; more so under mutation testing's coverage agent on a busy
   * machine) once took 2.1 s over its first request, past the 300 ms limits these tests keep, and a
   * test that expected the first model saw the backup's answer.
   */
  @BeforeAll
  static void warmUp(@TempDir Path dir) throws Exception {
    if (!WARM.compareAndSet(false, true)) {
      return;
    }
    try (FaultyUpstream upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m"));
        Gateway gateway =
            Gateway.start(
                new GatewayYaml()
                    .timeouts("{connect: 5s, first_token: 30s, stall: 30s, response: 30s}")
                    .fallback("request_deadline", "60s")
                    .provider("warm", upstream, "{id: m}"),
                dir)) {
      for (boolean stream : new boolean[] {false, true}) {
        assertThat(gateway.chat(Gateway.body("warm/m", stream, CONVERSATION)).status())
            .isEqualTo(200);
      }
    }
  }

  FaultyUpstream upstream(FaultyUpstream.Config config) {
    FaultyUpstream upstream = FaultyUpstream.start(config);
    opened.add(upstream);
    return upstream;
  }

  /** An upstream serving model {@code m} with the default answers. */
  FaultyUpstream upstream() {
    return upstream(FaultyUpstream.config().modelIds("m"));
  }

  Gateway gateway(GatewayYaml yaml) {
    Gateway gateway = Gateway.start(yaml, dataDir);
    opened.add(gateway);
    return gateway;
  }

  /** {@code primary/m} on {@code primary}, falling back to {@code backup/m} on {@code backup}. */
  Gateway primaryWithBackup(FaultyUpstream primary, FaultyUpstream backup) {
    return gateway(
        new GatewayYaml()
            .provider("primary", primary, "{id: m}")
            .provider("backup", backup, "{id: m}")
            .fallbacks(PRIMARY, BACKUP));
  }

  /** {@code primary/m} alone. */
  Gateway primaryAlone(FaultyUpstream primary) {
    return gateway(new GatewayYaml().provider("primary", primary, "{id: m}"));
  }

  static ObjectNode ask(String model, boolean stream) {
    return Gateway.body(model, stream, CONVERSATION);
  }

  /** Asserts a whole answer with exactly {@code expected} as its text. */
  static void assertComplete(Gateway.Reply reply, boolean stream, String expected) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    if (stream) {
      assertThat(reply.streamed()).isTrue();
      assertThat(reply.streamedText()).as(reply.body()).isEqualTo(expected);
      assertThat(reply.finishReasons()).as(reply.body()).containsExactly("stop");
      assertThat(reply.events()).as(reply.body()).last().isEqualTo("[DONE]");
    } else {
      assertThat(reply.content()).as(reply.body()).isEqualTo(expected);
      assertThat(reply.json().at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }
    assertThat(reply.complete(expected)).isTrue();
  }

  /**
   * Asserts a clean OpenAI-shaped error: this status and code, and a message without a stack trace
   * or a {@code null} where a reason should be.
   */
  static void assertCleanError(Gateway.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(reply.errorCode()).as(reply.body()).isEqualTo(code);
    assertThat(reply.json().at("/error/message").asString())
        .isNotBlank()
        .doesNotContain("\tat ")
        .doesNotContain("null");
  }

  /**
   * Waits until the {@code nth} chat request (1 for the first) to {@code upstream} has ended, and
   * returns how it ended; the upstream's own numbering also counts its model listings.
   */
  static How chatEnding(FaultyUpstream upstream, int nth) {
    int number = upstream.awaitChatRequests(nth, WAIT).get(nth - 1).number();
    return upstream.awaitEnd(number, WAIT).ending().orElseThrow().how();
  }

  /** The strings of a JSON array, in order. */
  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asString()));
    return texts;
  }

  static List<List<Message>> conversations(List<ReceivedRequest> requests) {
    return requests.stream().map(ReceivedRequest::messages).toList();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }
}
