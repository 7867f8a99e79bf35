package dev.tta.models.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.testing.ScriptedProvider;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingValuesTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("hi"));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);
  private static final ModelKey BEST = ModelKey.of("cloud", "best");
  private static final ModelKey SMALL = ModelKey.of("local", "small");

  @Test
  void routeRequest_deadlineMustBePositive() {
    RouteRequest request = RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements());

    assertThat(request.deadline()).isEmpty();
    assertThat(request.withDeadline(Duration.ofMillis(1)).deadline())
        .contains(Duration.ofMillis(1));
    assertThatThrownBy(() -> request.withDeadline(Duration.ZERO))
        .hasMessage("deadline: must be positive");
    assertThatThrownBy(() -> request.withDeadline(Duration.ofMillis(-1)))
        .hasMessage("deadline: must be positive");
  }

  @Test
  void candidateSources_validateTheirModels() {
    assertThatThrownBy(() -> CandidateSource.chain(List.of()))
        .hasMessage("models: must name at least one model");
    assertThatThrownBy(() -> CandidateSource.model(null)).hasMessage("model: is required");
    assertThat(CandidateSource.chain(List.of(BEST, SMALL)))
        .isEqualTo(new CandidateSource.ExplicitChain(List.of(BEST, SMALL)));
  }

  @Test
  void providerRegistry_refusesTwoProvidersWithOneName() {
    ManualTimeSource clock = new ManualTimeSource();
    ScriptedProvider first = new ScriptedProvider("cloud", ProviderType.OPENROUTER, clock);
    ScriptedProvider second = new ScriptedProvider("cloud", ProviderType.CUSTOM_API, clock);

    assertThatThrownBy(() -> ProviderRegistry.of(List.of(first, second)))
        .hasMessage("providers: the name 'cloud' is used twice; names must be unique");
    ProviderRegistry registry = ProviderRegistry.of(List.of(first));
    assertThat(registry.get(first.id())).containsSame(first);
    assertThat(registry.all()).containsExactly(first);
  }

  @Test
  void noEligibleModel_listsEachSkipWithItsReason() {
    RoutingTrace trace =
        new RoutingTrace(
            List.of(),
            List.of(
                new SkippedModel(BEST, "cost: effective cost 0.0002 > max 0.0001"),
                new SkippedModel(SMALL, "circuit open")),
            List.of(),
            Optional.empty(),
            Duration.ZERO);

    assertThat(new RoutingException.NoEligibleModel(trace).getMessage())
        .isEqualTo(
            "no model meets the requirements: cloud/best (cost: effective cost 0.0002 > max"
                + " 0.0001); local/small (circuit open)");
    assertThat(
            new RoutingException.NoEligibleModel(
                    new RoutingTrace(
                        List.of(), List.of(), List.of(), Optional.empty(), Duration.ZERO))
                .getMessage())
        .isEqualTo("no model is available: the catalog is empty");
  }

  @Test
  void trace_summaryListsAttemptsAndSkipsInOrder() {
    RoutingTrace trace =
        new RoutingTrace(
            List.of(
                new Attempt(
                    1,
                    BEST,
                    Duration.ofMillis(100),
                    Optional.of(ErrorClass.UNAVAILABLE),
                    "503",
                    "retry same after 250 ms: unavailable"),
                new Attempt(2, SMALL, Duration.ofMillis(120), Optional.empty(), "", "served")),
            List.of(new SkippedModel(ModelKey.of("cloud", "unsafe"), "safety: 5.0 < min 7.0")),
            List.of("attempt 2 (local/small) refused the text so far as a prefix; restarting"),
            Optional.of(SMALL),
            Duration.ofMillis(470));

    assertThat(trace.summary())
        .isEqualTo(
            "tried [cloud/best unavailable 100ms, local/small ok 120ms]"
                + " skipped [cloud/unsafe (safety: 5.0 < min 7.0)]"
                + " notes [attempt 2 (local/small) refused the text so far as a prefix; restarting]"
                + " in 470ms");
    assertThat(trace.modelsTried()).containsExactly(BEST, SMALL);
    assertThat(trace.attempts().get(0).succeeded()).isFalse();
    assertThat(trace.attempts().get(1).succeeded()).isTrue();
    assertThat(
            new RoutingTrace(
                    List.of(), List.of(), List.of(), Optional.empty(), Duration.ofMillis(3))
                .summary())
        .isEqualTo("tried [] in 3ms");
  }
}
