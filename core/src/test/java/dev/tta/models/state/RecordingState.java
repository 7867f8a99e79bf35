package dev.tta.models.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A routing state for one process that keeps what it was told, for tests of what is published,
 * seeded and counted: the changes published, the receiver and snapshot it was started with, and
 * each counter with its expiry and how often it was seeded.
 */
public final class RecordingState implements RoutingState {

  public final List<StateChange> published = new CopyOnWriteArrayList<>();
  public final Map<String, Double> counters = new HashMap<>();
  public final Map<String, Instant> expiries = new HashMap<>();
  public final List<String> seeded = new ArrayList<>();
  public Consumer<StateChange> receiver;
  public Supplier<List<StateChange>> snapshot;

  @Override
  public void start(Consumer<StateChange> receiver, Supplier<List<StateChange>> snapshot) {
    this.receiver = receiver;
    this.snapshot = snapshot;
  }

  @Override
  public void publish(StateChange change) {
    published.add(change);
  }

  @Override
  public synchronized void addSpend(
      String counter, double usd, Supplier<Double> seed, Instant expiresAt) {
    counters.put(counter, known(counter, seed, expiresAt) + usd);
  }

  @Override
  public synchronized double spend(String counter, Supplier<Double> seed, Instant expiresAt) {
    return known(counter, seed, expiresAt);
  }

  private double known(String counter, Supplier<Double> seed, Instant expiresAt) {
    if (!counters.containsKey(counter)) {
      seeded.add(counter);
      counters.put(counter, seed.get());
      expiries.put(counter, expiresAt);
    }
    return counters.get(counter);
  }

  @Override
  public StateStatus status() {
    return new StateStatus("recording", "", false, "");
  }

  @Override
  public void close() {}
}
