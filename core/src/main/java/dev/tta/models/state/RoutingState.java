package dev.tta.models.state;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the replicas of a gateway must agree on: circuit openings, failures and exclusions,
 * providers taken out ({@link StateChange}s, applied by each replica to its own state, see {@link
 * SharedRouting}) and spend counters. Every replica keeps serving from its own state; this only
 * tells it what the others did. An implementation never blocks a caller on the network: when the
 * shared store cannot be reached it keeps counting locally, says so in {@link #status()}, and
 * re-syncs when the store is back. Implementations are in the store module (memory, Redis).
 */
public interface RoutingState extends AutoCloseable {

  /** The expiry of a counter that is never forgotten (a total budget's). */
  Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

  /**
   * Starts exchanging changes.
   *
   * @param receiver applies another replica's change; called on the state's own thread
   * @param snapshot what this replica knows now (open circuits, providers out), published again
   *     whenever the replicas re-sync: on start and when the shared store comes back
   */
  void start(Consumer<StateChange> receiver, Supplier<List<StateChange>> snapshot);

  /** Tells the other replicas; returns at once. */
  void publish(StateChange change);

  /**
   * Adds to a spend counter shared by the replicas, first seeding it (when no replica has yet) with
   * {@code seed}: what the history says was spent before this process counted.
   *
   * @param counter a counter name, e.g. a key name and its period's start
   * @param expiresAt when the counter may be forgotten (its period's end)
   */
  void addSpend(String counter, double usd, Supplier<Double> seed, Instant expiresAt);

  /**
   * The counter's total as this replica knows it now, seeding it with {@code seed} when unknown.
   */
  double spend(String counter, Supplier<Double> seed, Instant expiresAt);

  StateStatus status();

  @Override
  void close();
}
