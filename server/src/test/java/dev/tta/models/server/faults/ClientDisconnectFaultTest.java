package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Answers;
import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.ReceivedRequest;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up, before the first token, in the middle of a stream, or while a whole
 * answer is generated: the gateway notices at once, closes the upstream call (the upstream sees its
 * connection closed, long before any limit would have ended it), tries no other model, and counts
 * the request as cancelled rather than as a failure of the model.
 */
class ClientDisconnectFaultTest extends GatewayFaults {

  /** Far beyond the test: only the client's leaving can end the upstream call in time. */
  static final String PATIENT = "{connect: 1s, first_token: 30s, stall: 30s, response: 30s}";

  static final Duration NOTICED = Duration.ofSeconds(2);

  static final Pattern CANCELLED =
      Pattern.compile(
          "mm_gateway_requests_total\\{gen_ai_request_model=\""
              + Pattern.quote(PRIMARY)
              + "\",gen_ai_response_model=\"[^\"]*\",outcome=\"cancelled\"} 1\\.0");

  Gateway patientScene(FaultyUpstream primary, FaultyUpstream backup) {
    return gateway(
        new GatewayYaml()
            .timeouts(PATIENT)
            .provider("primary", primary, "{id: m}")
            .provider("backup", backup, "{id: m}")
            .fallbacks(PRIMARY, BACKUP));
  }

  /** Asserts the upstream call ended by the gateway's hanging up soon after the client did. */
  static void assertUpstreamClosedSoonAfter(FaultyUpstream primary, long hungUpAt) {
    ReceivedRequest ended = primary.awaitEnd(primary.chatRequests().getFirst().number(), WAIT);
    assertThat(ended.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(Duration.ofNanos(ended.ending().orElseThrow().atNanos() - hungUpAt))
        .isLessThan(NOTICED);
  }

  /** Asserts the request counted as cancelled and no call as a failure of the model. */
  static void assertCountedAsCancelled(Gateway gateway) throws InterruptedException {
    String metrics = gateway.awaitMetrics(CANCELLED, WAIT);
    assertThat(metrics)
        .doesNotContainPattern("mm_calls_total\\{[^}]*gen_ai_provider_name=\"primary\"");
  }

  @Test
  void hangingUpBeforeTheFirstToken_closesTheUpstreamCall() throws Exception {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = patientScene(primary, backup);
    primary.enqueue(Fault.slowFirstToken(Duration.ofSeconds(20)));

    long hungUpAt;
    try (RawClient client = new RawClient(gateway.port(), ask(PRIMARY, true).toString())) {
      primary.awaitChatRequests(1, WAIT);
      hungUpAt = client.hangUp();
    }

    assertUpstreamClosedSoonAfter(primary, hungUpAt);
    assertThat(primary.chatRequests().getFirst().tokensSent()).isZero();
    assertCountedAsCancelled(gateway);
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).isEmpty();
  }

  @Test
  void hangingUpMidStream_closesTheUpstreamCall() throws Exception {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = patientScene(primary, backup);
    primary.enqueue(Fault.answer().delayBetweenTokens(Duration.ofMillis(400)));
    List<String> tokens = Answers.tokens(primary.answerTo(CONVERSATION));

    long hungUpAt;
    try (RawClient client = new RawClient(gateway.port(), ask(PRIMARY, true).toString())) {
      client.readUntil(
          List.of(
              "\"content\":\"" + tokens.get(0) + "\"", "\"content\":\"" + tokens.get(1) + "\""));
      hungUpAt = client.hangUp();
    }

    assertUpstreamClosedSoonAfter(primary, hungUpAt);
    assertThat(primary.chatRequests().getFirst().tokensSent()).isLessThan(tokens.size());
    assertCountedAsCancelled(gateway);
    assertThat(backup.chatRequests()).isEmpty();
  }

  @Test
  void hangingUpDuringAWholeAnswer_closesTheUpstreamCall() throws Exception {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = patientScene(primary, backup);
    primary.enqueue(Fault.noResponse());

    long hungUpAt;
    try (RawClient client = new RawClient(gateway.port(), ask(PRIMARY, false).toString())) {
      primary.awaitChatRequests(1, WAIT);
      hungUpAt = client.hangUp();
    }

    assertUpstreamClosedSoonAfter(primary, hungUpAt);
    assertCountedAsCancelled(gateway);
    assertThat(backup.chatRequests()).isEmpty();
  }
}
