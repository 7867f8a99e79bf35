package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.chat.ChatRequest;
import dev.tta.models.testkit.faults.Answers;
import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.Message;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the client is told about an answer once it is whole: a stream's last chunk carries the usage
 * (the upstream's when one call served it all, else estimated and marked so) and how routing got
 * there ({@code mm_routing}), in the chunk of its own that {@code stream_options.include_usage}
 * asks for; a whole answer names the model that served it, and the headers count the attempts.
 */
class AccountingFaultTest extends GatewayFaults {

  static ObjectNode askStream(boolean includeUsage) {
    ObjectNode body = ask(PRIMARY, true);
    if (includeUsage) {
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  /**
   * The documented estimate: characters divided by {@link ChatRequest#CHARS_PER_TOKEN_ESTIMATE},
   * rounded up.
   */
  static int estimated(int characters) {
    return Math.ceilDiv(characters, ChatRequest.CHARS_PER_TOKEN_ESTIMATE);
  }

  static int characters(List<Message> messages) {
    return messages.stream().mapToInt(m -> m.content().length()).sum();
  }

  /**
   * The chunk that carries the usage and the routing: the finish chunk, or after it a chunk with no
   * choices when the client asked for usage; asserts the shape either way.
   */
  static JsonNode accountingChunk(Gateway.Reply reply, boolean includeUsage, String servedBy) {
    List<JsonNode> chunks = reply.chunks();
    JsonNode last = chunks.getLast();
    JsonNode finish = includeUsage ? chunks.get(chunks.size() - 2) : last;
    assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    if (includeUsage) {
      assertThat(finish.has("usage")).isFalse();
      assertThat(last.get("choices").isArray()).isTrue();
      assertThat(last.get("choices").isEmpty()).isTrue();
    }
    assertThat(last.get("model").asString()).isEqualTo(servedBy);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allSatisfy(chunk -> assertThat(chunk.has("mm_routing")).isFalse());
    return last;
  }

  @ParameterizedTest(name = "include_usage={0}")
  @ValueSource(booleans = {false, true})
  void aWholeStream_endsWithTheUpstreamsUsage_andItsRouting(boolean includeUsage) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);

    Gateway.Reply reply = gateway.chat(askStream(includeUsage));

    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    JsonNode last = accountingChunk(reply, includeUsage, PRIMARY);
    JsonNode usage = last.get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(Answers.promptTokens(CONVERSATION));
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(Answers.tokens(expected).size());
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(Answers.promptTokens(CONVERSATION) + Answers.tokens(expected).size());
    JsonNode routing = last.get("mm_routing");
    assertThat(routing.get("served_by").asString()).isEqualTo(PRIMARY);
    assertThat(texts(routing.get("models"))).containsExactly(PRIMARY);
    assertThat(routing.get("attempts").asInt()).isEqualTo(1);
    assertThat(routing.get("continuations").asInt()).isZero();
    assertThat(routing.get("usage_estimated").asBoolean()).isFalse();
    assertThat(routing.get("trace").asString()).startsWith("tried [" + PRIMARY + " ok ");
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
    assertThat(reply.header("X-MM-Attempts")).hasValue("1");
  }

  @ParameterizedTest(name = "include_usage={0}")
  @ValueSource(booleans = {false, true})
  void aContinuedStream_endsWithEstimatedUsage_andTheRoutingThatPiecedItTogether(
      boolean includeUsage) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.streamCutAfter(3, Cut.RESET));

    Gateway.Reply reply = gateway.chat(askStream(includeUsage));

    String expected = primary.answerTo(CONVERSATION);
    assertComplete(reply, true, expected);
    JsonNode last = accountingChunk(reply, includeUsage, BACKUP);
    // the primary's three tokens were cut before its usage: estimated from their text; the
    // backup reported the seven it added
    String delivered = String.join("", Answers.tokens(expected).subList(0, 3));
    int completion = estimated(delivered.length()) + (Answers.tokens(expected).size() - 3);
    int prompt = estimated(characters(CONVERSATION));
    JsonNode usage = last.get("usage");
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(prompt);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(completion);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(prompt + completion);
    JsonNode routing = last.get("mm_routing");
    assertThat(routing.get("served_by").asString()).isEqualTo(BACKUP);
    assertThat(texts(routing.get("models"))).containsExactly(PRIMARY, BACKUP);
    assertThat(routing.get("attempts").asInt()).isEqualTo(2);
    assertThat(routing.get("continuations").asInt()).isEqualTo(1);
    assertThat(routing.get("usage_estimated").asBoolean()).isTrue();
    assertThat(routing.get("trace").asString())
        .startsWith("tried [" + PRIMARY + " unavailable ")
        .contains(BACKUP + " ok ");
    // the head went out with the first token, before the break
    assertThat(reply.header("X-MM-Served-Model")).hasValue(PRIMARY);
  }

  @Test
  void aWholeAnswerAfterAFailover_namesTheServingModel_andCountsTheAttempts() {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.rateLimited());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    String expected = backup.answerTo(CONVERSATION);
    assertComplete(reply, false, expected);
    JsonNode json = reply.json();
    assertThat(json.get("object").asString()).isEqualTo("chat.completion");
    assertThat(json.get("model").asString()).isEqualTo(BACKUP);
    assertThat(json.at("/usage/prompt_tokens").asInt())
        .isEqualTo(Answers.promptTokens(CONVERSATION));
    assertThat(json.at("/usage/completion_tokens").asInt())
        .isEqualTo(Answers.tokens(expected).size());
    assertThat(reply.header("X-MM-Served-Model")).hasValue(BACKUP);
    assertThat(reply.header("X-MM-Attempts")).hasValue("2");
    assertThat(reply.header("X-MM-Route-Trace").orElseThrow())
        .startsWith("tried [" + PRIMARY + " rate_limited ")
        .contains(BACKUP + " ok ");
  }
}
