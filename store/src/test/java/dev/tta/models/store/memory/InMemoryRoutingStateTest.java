package dev.tta.models.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.state.StateChange;
import dev.tta.models.state.StateStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class InMemoryRoutingStateTest {

  private static final Instant FUTURE = Instant.parse("2099-01-01T00:00:00Z");
  private static final Instant PAST = Instant.parse("2000-01-01T00:00:00Z");

  private final InMemoryRoutingState state = new InMemoryRoutingState();

  /** A seed that counts how often it is asked. */
  private static Supplier<Double> seed(double value, AtomicInteger asked) {
    return () -> {
      asked.incrementAndGet();
      return value;
    };
  }

  @Test
  void aCounter_isSeededOnce_thenAddedTo() {
    AtomicInteger asked = new AtomicInteger();

    assertThat(state.spend("spend:team-a", seed(1.5, asked), FUTURE)).isEqualTo(1.5);
    state.addSpend("spend:team-a", 0.25, seed(99, asked), FUTURE);
    state.addSpend("spend:team-a", 0.25, seed(99, asked), FUTURE);

    // 1.5 + 0.25 + 0.25
    assertThat(state.spend("spend:team-a", seed(99, asked), FUTURE)).isEqualTo(2.0);
    assertThat(asked).hasValue(1);
  }

  @Test
  void addingToAnUnknownCounter_seedsItFirst() {
    state.addSpend("spend:team-b", 0.5, () -> 3.0, FUTURE);

    assertThat(state.spend("spend:team-b", () -> 99.0, FUTURE)).isEqualTo(3.5);
  }

  @Test
  void countersOfPeriodsThatEnded_areForgotten_whenAnotherIsMade() {
    state.spend("spend:team-a:old", () -> 5.0, PAST);
    assertThat(state.spend("spend:team-a:old", () -> 99.0, PAST)).isEqualTo(5.0);

    state.spend("spend:team-a:new", () -> 0.0, FUTURE);

    // forgotten, so seeded again
    assertThat(state.spend("spend:team-a:old", () -> 7.0, PAST)).isEqualTo(7.0);
    assertThat(state.spend("spend:team-a:new", () -> 99.0, FUTURE)).isZero();
  }

  @Test
  void itIsAloneInMemory_neverDegraded_andTellsNoOne() {
    List<StateChange> received = new ArrayList<>();
    state.start(received::add, List::of);
    state.publish(new StateChange.ModelReset(ModelKey.of("cloud", "best")));
    state.close();

    assertThat(received).isEmpty();
    assertThat(state.status()).isEqualTo(new StateStatus("memory", "", false, ""));
  }
}
