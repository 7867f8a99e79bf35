package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.ReceivedRequest;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream that answers without end, streamed and not: the gateway stops reading at 8 MiB,
 * closes the connection and retries, and the client gets the whole answer. The limits of time are
 * far from reach here (10 s), so that the size is what stops the read however slow the machine;
 * megabytes per run keep it out of the mutation run.
 */
class OversizedAnswerFaultTest extends GatewayFaults {

  private static final String PATIENT =
      "{connect: 1s, first_token: 10s, stall: 10s, response: 10s}";

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void anAnswerWithoutEnd_isCutAtTheLimit_andRetried(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .timeouts(PATIENT)
                .fallback("request_deadline", "30s")
                .provider("primary", primary, "{id: m}")
                .provider("backup", backup, "{id: m}")
                .fallbacks(PRIMARY, BACKUP));
    primary.enqueue(Fault.flood());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    // a failure of the connection's kind: the same model again, as for a reset
    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
    assertThat(reply.header("X-MM-Attempts")).hasValue("2");
    assertThat(reply.header("X-MM-Route-Trace"))
        .hasValueSatisfying(trace -> assertThat(trace).startsWith("tried [primary/m unavailable "));
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(backup.chatRequests()).isEmpty();
    ReceivedRequest flood =
        primary.awaitEnd(primary.awaitChatRequests(1, WAIT).getFirst().number(), WAIT);
    assertThat(flood.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    // 8 MiB read, and what the kernel's buffers held besides; not what a flood sends meanwhile
    assertThat(flood.bodyBytesSent()).isBetween(8L << 20, 32L << 20);
  }
}
