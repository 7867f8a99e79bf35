package dev.tta.models.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.routing.Attempt;
import dev.tta.models.routing.RoutingEvent;
import dev.tta.models.routing.RoutingTrace;
import dev.tta.models.routing.SkippedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecentTracesTest {

  private static final ModelKey A = ModelKey.of("cloud", "a");
  private static final ModelKey B = ModelKey.of("cloud", "b");
  private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");

  private static RoutingTrace served(ModelKey by, long ms) {
    return new RoutingTrace(
        List.of(
            new Attempt(
                1,
                A,
                Duration.ofMillis(3),
                Optional.of(ErrorClass.UNAVAILABLE),
                "POST chat/completions to 127.0.0.1:9: could not connect",
                "try next: cloud/b"),
            new Attempt(2, by, Duration.ofMillis(ms), Optional.empty(), "", "served")),
        List.of(new SkippedModel(ModelKey.of("cloud", "c"), "circuit open")),
        List.of(),
        Optional.of(by),
        Duration.ofMillis(ms + 5));
  }

  @Test
  void keepsTheNewestFirst_upToItsCapacity_withOutcomesAndSkips_butNoFailureMessage() {
    RecentTraces traces = new RecentTraces(2);
    traces.on(new RoutingEvent.Served(T0, served(B, 10)));
    traces.on(new RoutingEvent.AttemptStarted(T0, A, 1));
    traces.on(new RoutingEvent.Served(T0.plusSeconds(1), served(B, 20)));
    traces.on(
        new RoutingEvent.Failed(
            T0.plusSeconds(2),
            new RoutingTrace(List.of(), List.of(), List.of(), Optional.empty(), Duration.ZERO),
            "no eligible model"));

    List<RecentTraces.TracedRequest> recent = traces.recent();
    assertThat(recent).hasSize(2);
    assertThat(recent.get(0).failure()).hasValue("no eligible model");
    assertThat(recent.get(0).servedBy()).isEmpty();
    RecentTraces.TracedRequest second = recent.get(1);
    assertThat(second.at()).isEqualTo(T0.plusSeconds(1));
    assertThat(second.servedBy()).hasValue("cloud/b");
    assertThat(second.totalMs()).isEqualTo(25);
    assertThat(second.attempts())
        .containsExactly(
            new RecentTraces.TracedAttempt("cloud/a", "unavailable", 3, "try next: cloud/b"),
            new RecentTraces.TracedAttempt("cloud/b", "ok", 20, "served"));
    assertThat(second.skipped())
        .containsExactly(new RecentTraces.TracedSkip("cloud/c", "circuit open"));
    assertThat(second.toString()).doesNotContain("could not connect");
  }

  @Test
  void aCapacityBelowOne_isRefusedNamingIt() {
    assertThatThrownBy(() -> new RecentTraces(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity: must be at least 1, was 0");
  }
}
