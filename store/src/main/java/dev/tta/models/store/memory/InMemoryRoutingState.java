package dev.tta.models.store.memory;

import dev.tta.models.state.RoutingState;
import dev.tta.models.state.StateChange;
import dev.tta.models.state.StateStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Routing state for one process alone (the default): there are no other replicas to tell, and spend
 * counters live in this process, seeded from the history when first used.
 */
public final class InMemoryRoutingState implements RoutingState {

  private record Counter(DoubleAdder total, Instant expiresAt) {}

  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  @Override
  public void start(Consumer<StateChange> receiver, Supplier<List<StateChange>> snapshot) {
    // no other replica sends anything
  }

  @Override
  public void publish(StateChange change) {
    // no other replica to tell
  }

  @Override
  public void addSpend(String counter, double usd, Supplier<Double> seed, Instant expiresAt) {
    counter(counter, seed, expiresAt).total().add(usd);
  }

  @Override
  public double spend(String counter, Supplier<Double> seed, Instant expiresAt) {
    return counter(counter, seed, expiresAt).total().sum();
  }

  private Counter counter(String name, Supplier<Double> seed, Instant expiresAt) {
    Counter counter =
        counters.computeIfAbsent(
            name,
            key -> {
              DoubleAdder total = new DoubleAdder();
              total.add(seed.get());
              return new Counter(total, expiresAt);
            });
    if (counters.size() > 1) {
      // periods that ended: their counters are never read again
      Instant now = Instant.now();
      counters.values().removeIf(c -> !c.expiresAt().isAfter(now));
    }
    return counter;
  }

  @Override
  public StateStatus status() {
    return new StateStatus("memory", "", false, "");
  }

  @Override
  public void close() {
    // nothing held
  }
}
