package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deployments that go away and come back: a circuit that opens, waits longer after each failed
 * probe, and closes when a probe succeeds, with traffic moving to the fallback and back; a model
 * written in the configuration while its server cannot list; a provider out for a refused key,
 * tried again after the recheck wait.
 */
class RecoveryFaultTest extends GatewayFaults {

  /**
   * A request, when the client sent it and when the answer was in (on {@link System#nanoTime()}),
   * and what came back.
   */
  record Sent(long startNanos, long endNanos, Gateway.Reply reply) {

    String trace() {
      return reply.header("X-MM-Route-Trace").orElseThrow();
    }

    boolean servedBy(String model) {
      return reply.header("X-MM-Served-Model").orElse("").equals(model);
    }

    /** Whether routing called the model (it failed or served), rather than skipping it. */
    boolean called(String model) {
      return trace().contains("tried [" + model + " ") || trace().contains(", " + model + " ");
    }
  }

  Sent send(Gateway gateway, boolean stream) {
    long start = System.nanoTime();
    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));
    return new Sent(start, System.nanoTime(), reply);
  }

  /**
   * Sends requests one after another until one satisfies {@code until}; every one of them is kept.
   *
   * @throws AssertionError when none has within {@code timeout}
   */
  List<Sent> sendUntil(Gateway gateway, Predicate<Sent> until, Duration timeout) {
    List<Sent> sent = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Sent one = send(gateway, sent.size() % 2 == 1);
      sent.add(one);
      if (until.test(one)) {
        return sent;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no request matched within " + timeout + "; the last trace: " + one.trace());
      }
    }
  }

  /**
   * At least how long passed between something the gateway did while serving {@code earlier} and
   * something it did while serving {@code later}: from the start of the one to the end of the
   * other.
   */
  static Duration atLeastBetween(Sent earlier, Sent later) {
    return Duration.ofNanos(later.endNanos() - earlier.startNanos());
  }

  @Test
  void aPrimaryDownForAWhile_opensItsCircuit_probesAfterGrowingWaits_andGetsItsTrafficBack() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    // 300 ms open, then 600 ms after a failed probe, then at most 1 s
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .provider("primary", primary, "{id: m}")
                .provider("backup", backup, "{id: m}")
                .fallbacks(PRIMARY, BACKUP)
                .fallback("max_retries_per_model", "0")
                .circuitBreaker("sliding_window_size", "4")
                .circuitBreaker("minimum_calls", "2")
                .circuitBreaker("failure_rate_threshold", "50")
                .circuitBreaker("open_wait_multiplier", "2"));
    String expected = primary.answerTo(CONVERSATION);

    Sent healthy = send(gateway, false);
    assertThat(healthy.servedBy(PRIMARY)).isTrue();
    primary.takeDown();

    // one success and one failure in the window of two: the circuit opens
    Sent opening = send(gateway, true);
    assertThat(opening.called(PRIMARY)).isTrue();
    assertComplete(opening.reply(), true, expected);
    assertThat(opening.servedBy(BACKUP)).isTrue();

    List<Sent> whileOpen = sendUntil(gateway, s -> s.called(PRIMARY), Duration.ofSeconds(5));
    Sent firstProbe = whileOpen.getLast();
    assertThat(whileOpen.subList(0, whileOpen.size() - 1))
        .allSatisfy(s -> assertThat(s.trace()).contains(PRIMARY + " (").contains("circuit open"));
    assertThat(atLeastBetween(opening, firstProbe)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    List<Sent> reopened = sendUntil(gateway, s -> s.called(PRIMARY), Duration.ofSeconds(5));
    Sent secondProbe = reopened.getLast();
    assertThat(atLeastBetween(firstProbe, secondProbe))
        .isGreaterThanOrEqualTo(Duration.ofMillis(600));

    primary.bringUp();
    List<Sent> recovering = sendUntil(gateway, s -> s.servedBy(PRIMARY), Duration.ofSeconds(5));
    Sent successfulProbe = recovering.getLast();
    // 300 ms x 2 x 2 = 1.2 s, held to max_wait_in_open_state
    assertThat(atLeastBetween(secondProbe, successfulProbe))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

    List<Sent> all = new ArrayList<>(List.of(opening));
    all.addAll(whileOpen);
    all.addAll(reopened);
    all.addAll(recovering);
    int servedByBackup = all.size() - 1;
    assertThat(all).allSatisfy(s -> assertComplete(s.reply(), s.reply().streamed(), expected));
    assertThat(all.subList(0, all.size() - 1))
        .allSatisfy(s -> assertThat(s.servedBy(BACKUP)).isTrue());
    assertThat(backup.chatRequests()).hasSize(servedByBackup);

    // the circuit is closed again: the primary serves and the fallback hears nothing more
    for (int i = 0; i < 5; i++) {
      Sent after = send(gateway, i % 2 == 0);
      assertComplete(after.reply(), i % 2 == 0, expected);
      assertThat(after.servedBy(PRIMARY)).isTrue();
    }
    // its log: the healthy request, the successful probe and the five after it
    assertThat(primary.chatRequests()).hasSize(7);
    assertThat(backup.chatRequests()).hasSize(servedByBackup);
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aConfiguredModelWhoseServerIsDown_isA503NamingTheFailure_thenAnsweredOnceItIsBack(
      boolean stream) {
    FaultyUpstream primary = upstream();
    primary.takeDown();
    Gateway gateway = primaryAlone(primary);

    Gateway.Reply down = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(down, 503, "upstream_unavailable");
    assertThat(down.json().at("/error/message").asString())
        .contains("127.0.0.1:" + primary.port())
        .contains("could not connect");
    Gateway.Reply listing = gateway.send("GET", "/v1/models", null);
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.body()).contains("\"" + PRIMARY + "\"");

    primary.bringUp();
    List<Gateway.Reply> replies = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Gateway.Reply reply;
    do {
      reply = gateway.chat(ask(PRIMARY, stream));
      replies.add(reply);
    } while (reply.status() != 200 && System.nanoTime() < deadline);

    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    // while its circuit waits out its open state the model is unavailable, never unknown
    assertThat(replies.subList(0, replies.size() - 1))
        .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(503));
  }

  static final String REFUSED_KEY =
      "{\"error\":{\"message\":\"Incorrect API key provided: sk-wrong.\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";

  @Test
  void aProviderOutForARefusedKey_isSkipped_thenTriedAgainAfterTheRecheckWait() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .provider("primary", primary, "{id: m}")
                .provider("backup", backup, "{id: m}")
                .fallbacks(PRIMARY, BACKUP)
                .fallback("provider_recheck_after", "500ms"));
    primary.enqueue(Fault.status(401, REFUSED_KEY));
    String expected = primary.answerTo(CONVERSATION);

    Sent refused = send(gateway, false);
    assertComplete(refused.reply(), false, expected);
    assertThat(refused.servedBy(BACKUP)).isTrue();

    List<Sent> out = sendUntil(gateway, s -> s.servedBy(PRIMARY), Duration.ofSeconds(5));
    assertThat(out.subList(0, out.size() - 1))
        .allSatisfy(s -> assertThat(s.trace()).contains(PRIMARY + " (").contains("provider"));
    assertThat(atLeastBetween(refused, out.getLast()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(backup.chatRequests()).hasSize(out.size());
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aRefusedKeyWithNoOtherProvider_isACleanUpstreamAuthenticationError(boolean stream) {
    FaultyUpstream primary = upstream();
    Gateway gateway = primaryAlone(primary);
    primary.enqueue(Fault.status(401, REFUSED_KEY));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 502, "upstream_authentication");
    assertThat(primary.chatRequests()).hasSize(1);
  }
}
