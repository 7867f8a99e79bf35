package dev.tta.models.routing;

import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.Alarms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Opens a stream on the attempt's model and, when its first token is later than that model's
 * measured 95th percentile, on the next usable candidate too: the first of the two to produce a
 * token serves, the other is stopped. A hedge costs a second call only for the slowest twentieth of
 * requests, and cuts their wait to about the faster model's. Both openings run on virtual threads
 * of their own; the calling thread only waits for them and keeps the books, so that the session is
 * used by one thread.
 */
final class HedgedOpening {

  private record Leg(AttemptScope scope, Thread thread) {}

  private record Outcome(Leg leg, StreamSegment segment, ProviderException failure) {}

  /** What the hedge's alarm puts among the outcomes: the first opening's time is up. */
  private static final Outcome TIME_UP = new Outcome(null, null, null);

  private final AttemptScope primary;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final List<Leg> legs = new ArrayList<>();
  private int pending;

  private HedgedOpening(AttemptScope primary) {
    this.primary = primary;
  }

  /**
   * @param after how long the first opening gets before the hedge starts
   * @throws ProviderException the first opening's failure, when both failed (the second one's is
   *     recorded here)
   */
  static StreamSegment open(AttemptScope primary, ModelInstance instance, Duration after) {
    return new HedgedOpening(primary).run(instance, after);
  }

  private StreamSegment run(ModelInstance instance, Duration after) {
    RoutingSession session = primary.session();
    Leg first = start(primary, instance);
    // on the router's alarms, so that a test's manual clock decides when the hedge starts
    Alarms.Alarm timer = session.router().alarms().set(after, () -> outcomes.add(TIME_UP));
    Outcome early = next();
    if (early != TIME_UP) {
      timer.cancel();
      return settle(early);
    }
    Outcome justInTime = outcomes.poll();
    if (justInTime != null) {
      pending--;
      return settle(justInTime);
    }
    Optional<RoutingSession.Hedge> hedge = session.claimHedge(primary.model(), after);
    if (hedge.isEmpty()) {
      return settle(next());
    }
    Leg second = start(hedge.get().scope(), hedge.get().instance());
    Outcome one = next();
    if (one.segment() != null) {
      Leg loser = one.leg() == first ? second : first;
      stopPending();
      session.legLost(loser.scope(), one.leg().scope());
      session.servedBy(one.leg().scope());
      return one.segment();
    }
    Outcome two = next();
    if (two.segment() != null) {
      session.legFailed(one.leg().scope(), one.failure());
      session.servedBy(two.leg().scope());
      return two.segment();
    }
    Outcome hedged = one.leg() == second ? one : two;
    session.legFailed(hedged.leg().scope(), hedged.failure());
    return settle(one.leg() == first ? one : two);
  }

  private Leg start(AttemptScope scope, ModelInstance instance) {
    Leg[] leg = new Leg[1];
    Thread thread =
        Thread.ofVirtual()
            .name("mm-hedge-" + scope.model().key())
            .unstarted(() -> outcomes.add(attempt(leg[0], instance)));
    leg[0] = new Leg(scope, thread);
    legs.add(leg[0]);
    pending++;
    thread.start();
    return leg[0];
  }

  private static Outcome attempt(Leg leg, ModelInstance instance) {
    try {
      return new Outcome(leg, StreamOpening.first(leg.scope(), instance), null);
    } catch (ProviderException e) {
      return new Outcome(leg, null, e);
    } catch (RuntimeException e) {
      return new Outcome(leg, null, ModelRouter.unexpected(leg.scope().model(), e));
    }
  }

  /** The next outcome of an opening, or {@link #TIME_UP}. */
  private Outcome next() {
    Outcome outcome;
    try {
      outcome = outcomes.take();
    } catch (InterruptedException e) {
      // the request was cancelled: the openings stop too
      Thread.currentThread().interrupt();
      stopPending();
      // the loop records the first opening's attempt as cancelled; a hedge's is recorded here
      if (legs.size() > 1) {
        primary.session().legCancelled(legs.get(1).scope());
      }
      throw new ProviderException.Cancelled(
          primary.model().providerId(),
          primary.model().id(),
          "cancelled while waiting for a hedged first token",
          e);
    }
    if (outcome != TIME_UP) {
      pending--;
    }
    return outcome;
  }

  /** Interrupts the openings still running, and closes what they open after all. */
  private void stopPending() {
    legs.forEach(leg -> leg.thread().interrupt());
    int left = pending;
    pending = 0;
    if (left > 0) {
      Thread.ofVirtual()
          .name("mm-hedge-drain")
          .start(
              () -> {
                for (int i = 0; i < left; i++) {
                  try {
                    Outcome late = outcomes.take();
                    if (late == TIME_UP) {
                      i--;
                    } else if (late.segment() != null) {
                      late.segment().stream().close();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              });
    }
  }

  private static StreamSegment settle(Outcome outcome) {
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    return outcome.segment();
  }
}
