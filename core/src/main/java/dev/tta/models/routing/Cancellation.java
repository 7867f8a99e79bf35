package dev.tta.models.routing;

import dev.tta.models.internal.Checks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a caller stop a request from another thread, for example when its client disconnected:
 * routing stops waiting, closes the upstream call (which stops a remote server or a local
 * generation) and records the call as cancelled, not as a failure of the model. One per request.
 */
public final class Cancellation {

  /** A registered action; closing it unregisters the action. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static final Cancellation NEVER = new Cancellation();

  private final AtomicReference<String> reason = new AtomicReference<>();
  private final List<Runnable> actions = new CopyOnWriteArrayList<>();

  /** A cancellation nobody triggers: the default of a request. */
  public static Cancellation never() {
    return NEVER;
  }

  /**
   * Cancels: runs every registered action once, on this thread. Later calls do nothing.
   *
   * @throws UnsupportedOperationException on {@link #never()}
   */
  public void cancel(String why) {
    Checks.notBlank(why, "why");
    if (this == NEVER) {
      throw new UnsupportedOperationException("Cancellation.never() cannot be cancelled");
    }
    if (reason.compareAndSet(null, why)) {
      for (Runnable action : actions) {
        action.run();
      }
    }
  }

  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** Why it was cancelled; empty while it is not. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  /**
   * Runs {@code action} when this is cancelled (at once, when it already is), until the returned
   * registration is closed.
   */
  public Registration onCancel(Runnable action) {
    Checks.notNull(action, "action");
    if (this == NEVER) {
      return () -> {};
    }
    // once only: a cancel between adding and checking would otherwise run it twice
    AtomicBoolean ran = new AtomicBoolean();
    Runnable once =
        () -> {
          if (ran.compareAndSet(false, true)) {
            action.run();
          }
        };
    actions.add(once);
    if (isCancelled()) {
      once.run();
    }
    return () -> actions.remove(once);
  }
}
