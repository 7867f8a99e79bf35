package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Answers;
import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.Fault.AfterMalformed;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.Message;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Streams that break after text reached the client: the next candidate (or the same model, when it
 * is the only one) is asked to continue from the delivered text, sent as a final assistant message,
 * and the client reads one whole answer; a model that refuses such a prefix is restarted and
 * spliced only when its text begins with exactly what was delivered, else the stream ends with an
 * error event carrying the failure that broke it. The faults' whole-answer forms are covered too.
 */
class StreamBreakFaultTest extends GatewayFaults {

  /** The first {@code count} tokens of {@code text}, as the upstream streams them. */
  static String firstTokens(String text, int count) {
    return String.join("", Answers.tokens(text).subList(0, count));
  }

  static List<Message> continuing(String delivered) {
    List<Message> messages = new ArrayList<>(CONVERSATION);
    messages.add(Message.assistant(delivered));
    return messages;
  }

  static JsonNode routing(Gateway.Reply reply) {
    return reply.lastChunk().get("mm_routing");
  }

  /** Asserts a stream continued once, on {@code backup}, from the first three tokens. */
  static void assertContinuedOnBackupAfterThreeTokens(
      Gateway.Reply reply, FaultyUpstream primary, FaultyUpstream backup) {
    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(conversations(backup.chatRequests()))
        .containsExactly(continuing(firstTokens(expected, 3)));
    JsonNode routing = routing(reply);
    assertThat(routing.get("served_by").asString()).isEqualTo(BACKUP);
    assertThat(texts(routing.get("models"))).containsExactly(PRIMARY, BACKUP);
    assertThat(routing.get("continuations").asInt()).isEqualTo(1);
    assertThat(routing.get("attempts").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void streamCutAfterThreeTokens_isContinuedOnTheFallback(Cut cut) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamCutAfter(3, cut));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    assertContinuedOnBackupAfterThreeTokens(reply, primary, backup);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void wholeAnswerCutHalfway_isRetriedOnTheSameModel(Cut cut) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.bodyCutHalfway(cut));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, primary.answerTo(CONVERSATION));
    assertThat(conversations(primary.chatRequests())).containsExactly(CONVERSATION, CONVERSATION);
    assertThat(backup.chatRequests()).isEmpty();
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void streamCutOnTheOnlyModel_isContinuedOnThatModel() {
    FaultyUpstream primary = upstream();
    Gateway gateway = primaryAlone(primary);
    primary.enqueue(Fault.streamCutAfter(4, Cut.RESET));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    assertThat(conversations(primary.chatRequests()))
        .containsExactly(CONVERSATION, continuing(firstTokens(expected, 4)));
    assertThat(texts(routing(reply).get("models"))).containsExactly(PRIMARY);
    assertThat(routing(reply).get("continuations").asInt()).isEqualTo(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void streamStall_isContinuedOnTheFallbackAfterTheStallLimit() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamStallAfter(3));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    assertContinuedOnBackupAfterThreeTokens(reply, primary, backup);
    assertThat(chatEnding(primary, 1)).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(routing(reply).get("trace").asString()).contains(PRIMARY + " timeout");
    assertThat(reply.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void streamedTokens_reachTheClientWhileTheUpstreamIsStillGenerating() throws Exception {
    FaultyUpstream primary = upstream();
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .timeouts(ClientDisconnectFaultTest.PATIENT)
                .provider("primary", primary, "{id: m}"));
    primary.enqueue(Fault.streamStallAfter(3));
    List<String> tokens = Answers.tokens(primary.answerTo(CONVERSATION));

    try (RawClient client = new RawClient(gateway.port(), ask(PRIMARY, true).toString())) {
      String received =
          client.readUntil(
              List.of(
                  "\"content\":\"" + tokens.get(0) + "\"",
                  "\"content\":\"" + tokens.get(1) + "\""));

      assertThat(received).doesNotContain("\"content\":\"" + tokens.get(3) + "\"");
    }
    assertThat(primary.chatRequests()).hasSize(1);
  }

  @Test
  void wholeAnswerStall_fallsBackAfterTheResponseLimit() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamStallAfter(3));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, backup.answerTo(CONVERSATION));
    assertThat(reply.json().get("model").asString()).isEqualTo(BACKUP);
    assertThat(chatEnding(primary, 1)).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(conversations(backup.chatRequests())).containsExactly(CONVERSATION);
    assertThat(reply.took())
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
        .isLessThan(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @EnumSource(AfterMalformed.class)
  void malformedChunk_isContinuedOnTheFallback_andNeverShownAsContent(AfterMalformed then) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.malformedChunkAfter(3, then));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    assertContinuedOnBackupAfterThreeTokens(reply, primary, backup);
    assertThat(reply.body()).doesNotContain("\"content\":}");
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void malformedWholeAnswer_isRetriedOnTheSameModel() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.malformedChunkAfter(3, AfterMalformed.CONTINUE));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, primary.answerTo(CONVERSATION));
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(backup.chatRequests()).isEmpty();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void missingDoneAfterTheFinish_isAWholeAnswer(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.missingDone());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, primary.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Attempts")).hasValue("1");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).isEmpty();
    if (stream) {
      assertThat(routing(reply).get("continuations").asInt()).isZero();
    }
  }

  @Test
  void noFinishReason_isContinued_andTheFallbackAddsOnlyTheFinish() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.noFinishReason());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    assertThat(conversations(backup.chatRequests())).containsExactly(continuing(expected));
    assertThat(routing(reply).get("continuations").asInt()).isEqualTo(1);
  }

  @Test
  void noFinishReasonInAWholeAnswer_isNeverPassedOffAsComplete() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.noFinishReason());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, primary.answerTo(CONVERSATION));
  }

  @Test
  void errorObjectInsideTheStream_isContinuedOnTheFallback() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.errorInStreamAfter(3));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    assertContinuedOnBackupAfterThreeTokens(reply, primary, backup);
    assertThat(reply.body()).doesNotContain("Sorry about that");
  }

  @Test
  void errorObjectAsAWholeAnswer_isRetriedOnTheSameModel() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.errorInStreamAfter(3));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, primary.answerTo(CONVERSATION));
    assertThat(primary.chatRequests()).hasSize(2);
    assertThat(backup.chatRequests()).isEmpty();
  }

  @Test
  void fallbackRefusingThePrefix_isRestarted_andSplicedWhenItsTextMatches() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream(FaultyUpstream.config().modelIds("m").refusePrefixes());
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamCutAfter(3, Cut.FIN));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    assertThat(backup.answerTo(CONVERSATION)).isEqualTo(expected);
    // the prefix, refused with a 400; then the request as the client sent it
    assertThat(conversations(backup.chatRequests()))
        .containsExactly(continuing(firstTokens(expected, 3)), CONVERSATION);
    assertThat(backup.chatRequests().getFirst().fault().orElseThrow())
        .isInstanceOfSatisfying(Fault.Status.class, s -> assertThat(s.code()).isEqualTo(400));
    assertThat(routing(reply).get("continuations").asInt()).isEqualTo(1);
    assertThat(routing(reply).get("served_by").asString()).isEqualTo(BACKUP);
  }

  @Test
  void fallbackDeclaredWithoutPrefill_isRestartedAtOnce() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream(FaultyUpstream.config().modelIds("m").refusePrefixes());
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .provider("primary", primary, "{id: m}")
                .provider("backup", backup, "{id: m, assistant_prefill: false}")
                .fallbacks(PRIMARY, BACKUP));
    primary.enqueue(Fault.streamCutAfter(3, Cut.FIN));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    assertComplete(reply, true, primary.answerTo(CONVERSATION));
    assertThat(conversations(backup.chatRequests())).containsExactly(CONVERSATION);
  }

  @Test
  void fallbackRefusingThePrefix_withAnotherText_endsWithTheOriginalFailure() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup =
        upstream(
            FaultyUpstream.config()
                .modelIds("m")
                .answer("Once upon a time there was a lighthouse")
                .refusePrefixes());
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamCutAfter(3, Cut.FIN));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, true));

    String delivered = firstTokens(primary.answerTo(CONVERSATION), 3);
    assertThat(backup.answerTo(CONVERSATION)).doesNotStartWith(delivered);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.streamedText()).isEqualTo(delivered);
    assertThat(reply.finishReasons()).isEmpty();
    assertThat(reply.events()).doesNotContain("[DONE]");
    JsonNode error = reply.lastChunk().get("error");
    assertThat(error.get("code").asString()).isEqualTo("upstream_unavailable");
    assertThat(error.get("message").asString()).contains(PRIMARY).doesNotContain("lighthouse");
    assertThat(reply.lastChunk().get("mm_routing").get("trace").asString())
        .contains("restarted without the prefix");
    assertThat(conversations(backup.chatRequests()))
        .containsExactly(continuing(delivered), CONVERSATION);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }
}
