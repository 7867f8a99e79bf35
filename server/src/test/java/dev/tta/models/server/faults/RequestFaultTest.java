package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Failures that are about the request rather than the deployment: a prompt too long for the model
 * falls back only to a larger (or unknown) window, the window named in the provider's error winning
 * over the configured one; a refused prompt is a clean 400 that no other model is asked; a request
 * with tools reaches only models that declare them.
 */
class RequestFaultTest extends GatewayFaults {

  /**
   * {@code primary/m} says its window is 32,768 tokens, but its error says 4,096; it falls back to
   * {@code small/m} (2,048), then to {@code fallback}.
   */
  Gateway contextScene(
      FaultyUpstream primary, FaultyUpstream small, FaultyUpstream other, String otherEntry) {
    return gateway(
        new GatewayYaml()
            .provider("primary", primary, "{id: m, context_length: 32768}")
            .provider("small", small, "{id: m, context_length: 2048}")
            .provider("other", other, otherEntry)
            .fallbacks(PRIMARY, "small/m", "other/m"));
  }

  @ParameterizedTest(name = "stream={0}, fallback {1}")
  @CsvSource({
    "false, '{id: m, context_length: 8192}'",
    "true, '{id: m, context_length: 8192}'",
    "false, '{id: m}'",
    "true, '{id: m}'"
  })
  void contextLengthExceeded_fallsBackToALargerOrUnknownWindow_theErrorsWindowWinning(
      boolean stream, String otherEntry) {
    FaultyUpstream primary = upstream();
    FaultyUpstream small = upstream();
    FaultyUpstream other = upstream();
    Gateway gateway = contextScene(primary, small, other, otherEntry);
    primary.enqueue(Fault.contextLengthExceeded(4096, 5000));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertComplete(reply, stream, other.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue("other/m");
    assertThat(reply.header("X-MM-Route-Trace").orElseThrow())
        .contains("small/m")
        .contains("context window of 2048 tokens is not larger than the failed model's 4096");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(small.chatRequests()).isEmpty();
    assertThat(other.chatRequests()).hasSize(1);
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void contextLengthExceeded_withNoLargerWindow_isACleanContextLengthError(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream small = upstream();
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .provider("primary", primary, "{id: m}")
                .provider("small", small, "{id: m, context_length: 2048}")
                .fallbacks(PRIMARY, "small/m"));
    primary.enqueue(Fault.contextLengthExceeded(4096, 5000));

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 400, "context_length_exceeded");
    assertThat(reply.json().at("/error/param").asString()).isEqualTo("messages");
    assertThat(reply.json().at("/error/message").asString()).contains("4096");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(small.chatRequests()).isEmpty();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void contentFiltered_isACleanContentFilterError_andNoOtherModelIsAsked(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream backup = upstream();
    Gateway gateway = primaryWithBackup(primary, backup);
    primary.enqueue(Fault.contentFiltered());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, stream));

    assertCleanError(reply, 400, "content_filter");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(backup.chatRequests()).isEmpty();
    assertThat(reply.took()).isLessThan(Duration.ofSeconds(2));
  }

  static ObjectNode withTools(ObjectNode body) {
    body.putArray("tools")
        .addObject()
        .put("type", "function")
        .putObject("function")
        .put("name", "get_tide")
        .put("description", "The tide at a harbour")
        .putObject("parameters")
        .put("type", "object");
    return body;
  }

  Gateway toolsScene(FaultyUpstream primary, FaultyUpstream plain, FaultyUpstream tooled) {
    return gateway(
        new GatewayYaml()
            .provider("primary", primary, "{id: m, performance_score: 9}")
            .provider("plain", plain, "{id: m, performance_score: 9}")
            .provider(
                "tooled", tooled, "{id: m, performance_score: 1, capabilities: [chat, tools]}")
            .fallbacks(PRIMARY, "plain/m", "tooled/m"));
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aRequestWithTools_isRankedOnlyOnModelsDeclaringTools(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream plain = upstream();
    FaultyUpstream tooled = upstream();
    Gateway gateway = toolsScene(primary, plain, tooled);

    Gateway.Reply reply = gateway.chat(withTools(ask("auto", stream)));

    assertComplete(reply, stream, tooled.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue("tooled/m");
    assertThat(tooled.chatRequests())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"get_tide\""));
    assertThat(primary.chatRequests()).isEmpty();
    assertThat(plain.chatRequests()).isEmpty();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aRequestWithTools_fallsBackOnlyToModelsDeclaringTools(boolean stream) {
    FaultyUpstream primary = upstream();
    FaultyUpstream plain = upstream();
    FaultyUpstream tooled = upstream();
    Gateway gateway = toolsScene(primary, plain, tooled);
    primary.enqueue(Fault.rateLimited());

    Gateway.Reply reply = gateway.chat(withTools(ask(PRIMARY, stream)));

    // the model the client named is called, tools or not; its fallbacks must declare them
    assertComplete(reply, stream, tooled.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue("tooled/m");
    assertThat(primary.chatRequests()).hasSize(1);
    assertThat(plain.chatRequests()).isEmpty();
    assertThat(tooled.chatRequests()).hasSize(1);
    assertThat(reply.header("X-MM-Route-Trace").orElseThrow()).contains("plain/m");
  }

  @Test
  void aRequestWithoutTools_mayFallBackToAnyModel() {
    FaultyUpstream primary = upstream();
    FaultyUpstream plain = upstream();
    FaultyUpstream tooled = upstream();
    Gateway gateway = toolsScene(primary, plain, tooled);
    primary.enqueue(Fault.rateLimited());

    Gateway.Reply reply = gateway.chat(ask(PRIMARY, false));

    assertComplete(reply, false, plain.answerTo(CONVERSATION));
    assertThat(reply.header("X-MM-Served-Model")).hasValue("plain/m");
    assertThat(tooled.chatRequests()).isEmpty();
  }
}
