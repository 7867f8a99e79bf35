package dev.tta.models.routing;

import dev.tta.models.internal.Checks;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * How long one attempt may wait, on top of the request's one deadline, which bounds every attempt
 * whatever these say. A field left empty is inherited ({@link #over}); {@link #NO_LIMIT} means the
 * deadline alone bounds it. An attempt that runs out of one of these fails with a timeout, and
 * routing moves to the next candidate at once rather than waiting on the same silent deployment.
 *
 * @param firstToken a stream's wait from the call's start until its first chunk with output (text
 *     or a tool call): covers connecting, queueing, loading and reading the prompt
 * @param stall a stream's longest wait between two chunks with output
 * @param response a whole (non-streamed) answer's wait from the call's start
 */
public record AttemptTimeouts(
    Optional<Duration> firstToken, Optional<Duration> stall, Optional<Duration> response) {

  /** No limit of the attempt's own: the request's deadline bounds it. */
  public static final Duration NO_LIMIT = ChronoUnit.FOREVER.getDuration();

  /** Every field inherited. */
  public static final AttemptTimeouts INHERIT =
      new AttemptTimeouts(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Remote providers: a healthy API sends its first token within a few seconds and then streams
   * steadily, so ten seconds of silence means it is not coming; a whole answer gets a minute.
   */
  public static final AttemptTimeouts REMOTE_DEFAULTS =
      of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60));

  /**
   * Local providers (in process, Ollama, LM Studio): the first token may wait for a model to load
   * from disk and for a long prompt to be read on a CPU; a whole answer is bounded by the deadline
   * alone, as a CPU may need minutes for a long one.
   */
  public static final AttemptTimeouts LOCAL_DEFAULTS =
      of(Duration.ofSeconds(60), Duration.ofSeconds(30), NO_LIMIT);

  public AttemptTimeouts {
    positiveIfSet(firstToken, "first_token");
    positiveIfSet(stall, "stall");
    positiveIfSet(response, "response");
  }

  public static AttemptTimeouts of(Duration firstToken, Duration stall, Duration response) {
    return new AttemptTimeouts(Optional.of(firstToken), Optional.of(stall), Optional.of(response));
  }

  /** The defaults of a local or a remote provider. */
  public static AttemptTimeouts defaults(boolean local) {
    return local ? LOCAL_DEFAULTS : REMOTE_DEFAULTS;
  }

  /** These, with each empty field taken from {@code base}. */
  public AttemptTimeouts over(AttemptTimeouts base) {
    return new AttemptTimeouts(
        firstToken.or(base::firstToken), stall.or(base::stall), response.or(base::response));
  }

  /** A field's limit, {@link #NO_LIMIT} when it is not set. */
  static Duration limit(Optional<Duration> field) {
    return field.orElse(NO_LIMIT);
  }

  /**
   * The shorter of a limit and what is left of the deadline; at least a millisecond, since a call
   * needs a positive limit even when the deadline passes as it starts.
   */
  static Duration within(Optional<Duration> field, Duration left) {
    Duration limit = limit(field);
    Duration shorter = limit.compareTo(left) < 0 ? limit : left;
    return shorter.compareTo(MINIMUM) < 0 ? MINIMUM : shorter;
  }

  private static final Duration MINIMUM = Duration.ofMillis(1);

  private static void positiveIfSet(Optional<Duration> value, String field) {
    Checks.notNull(value, field);
    value.ifPresent(
        d -> Checks.require(d.isPositive(), field, "must be positive (or no limit), was " + d));
  }
}
