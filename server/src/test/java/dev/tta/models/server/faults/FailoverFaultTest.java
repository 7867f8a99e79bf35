package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures before any output, streamed and not: the client gets the whole answer from the same
 * model after a wait (a fast failure, a short Retry-After) or from the fallback at once (a timeout,
 * a rate limit without a usable Retry-After, retries used up), or a clean error when nothing is
 * left; each upstream sees exactly the requests the policy calls for.
 */
class FailoverFaultTest extends GatewayFaults {

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void rateLimitedWithoutRetryAfter_fallsBackAtOnce(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.rateLimited());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, backup.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    assertThat(reply.header("X-MM-Attempts")).hasValue("2");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void rateLimitedWithAShortRetryAfter_waitsAndRetriesTheSameModel(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.rateLimited(Duration.ofSeconds(1)));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
    assertThat(reply.header("X-MM-Attempts")).hasValue("2");
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(backup.chatRequests()).isEmpty();
    // the upstream asked for a second, which is within max_retry_after (2 s)
    Duration between =
        Duration.ofNanos(
            primary.chatRequests().get(1).arrivalNanos()
                - primary.chatRequests().get(0).arrivalNanos());
    assertThat(between).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(3));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void rateLimitedWithALongRetryAfter_fallsBackAtOnce(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.rateLimited(Duration.ofSeconds(30)));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, backup.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void rateLimitedOnTheOnlyModel_is429WithTheUpstreamsRetryAfter(boolean stream) {
    FaultyUpstream primary = upstream();
    Gateway gateway = primaryAlone(primary);
    primary.enqueue(Fault.rateLimited(Duration.ofSeconds(30)));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 429, "upstream_rate_limited");
    assertThat(reply.header("Retry-After")).hasValue("30");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void serverErrorOnce_isRetriedOnTheSameModel(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.serverError());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
    assertThat(reply.header("X-MM-Attempts")).hasValue("2");
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(conversations(primary.chatRequests())).containsOnly(CONVERSATION);
    assertThat(backup.chatRequests()).isEmpty();
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void overloadedPersistently_fallsBackOnceItsRetriesAreUsedUp(boolean stream) {
    FaultyUpstream primary =
        upstream(FaultyUpstream.config().modelIds("m").defaultFault(Fault.overloaded()));
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, backup.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    // the first call and max_retries_per_model (2) retries, then the fallback
    assertThat(reply.header("X-MM-Attempts")).hasValue("4");
    assertThat(primary.chatRequests()).hasSize(3);
    assertThat(backup.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void overloadedWithNoFallback_isACleanUpstreamUnavailable(boolean stream) {
    FaultyUpstream primary =
        upstream(FaultyUpstream.config().modelIds("m").defaultFault(Fault.overloaded()));
    Gateway gateway = primaryAlone(primary);

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 503, "upstream_unavailable");
    assertThat(reply.json().at("/error/message").asString()).contains("overloaded");
    assertThat(primary.chatRequests()).hasSize(3);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void connectionResetBeforeTheHead_isRetriedOnTheSameModel(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.resetBeforeHead());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(primary.chatRequests().getFirst().ending().orElseThrow().how()).isEqualTo(How.CUT);
    assertThat(backup.chatRequests()).isEmpty();
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void noResponseAtAll_fallsBackAfterTheLimit_andTheSilentCallIsClosed(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.noResponse());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, backup.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    assertThat(reply.header("X-MM-Route-Trace").orElseThrow()).contains("timeout");
    assertThat(chatEnding(primary, 1)).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).hasSize(1);
    // first_token 300 ms for a stream, response 1 s for a whole answer
    assertThat(reply.took())
        .isGreaterThanOrEqualTo(stream ? Duration.ofMillis(300) : Duration.ofSeconds(1))
        .isLessThan(Duration.ofSeconds(3));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void noResponseFromTheOnlyModel_isACleanUpstreamTimeout(boolean stream) {
    FaultyUpstream primary = upstream();
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .provider("primary", primary, "{id: m}")
                .fallback("max_retries_per_model", "0"));
    primary.enqueue(Fault.noResponse());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 504, "upstream_timeout");
    assertThat(chatEnding(primary, 1)).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(3));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void slowFirstToken_fallsBackAfterTheLimit(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.slowFirstToken(Duration.ofSeconds(4)));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, backup.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    assertThat(chatEnding(primary, 1)).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(primary.chatRequests().getFirst().tokensSent()).isZero();
    assertThat(backup.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(3));
  }
}
