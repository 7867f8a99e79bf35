package dev.tta.models.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.time.Alarms;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The watchdog alone, over a scripted upstream on a manual clock. Its alarms fire only when a test
 * fires them, so that each test decides whether the alarm or the read notices a limit first.
 */
class WatchedStreamTest {

  private static final ModelInfo MODEL =
      ModelInfo.builder(ProviderId.of("cloud"), ProviderType.OPENROUTER, "best").build();
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final AttemptTimeouts ONE_SECOND_THEN_TWO =
      new AttemptTimeouts(
          Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ofSeconds(2)), Optional.empty());

  private final ManualTimeSource clock = new ManualTimeSource();
  private final HandAlarms alarms = new HandAlarms();
  private final Upstream upstream = new Upstream(clock);

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** A stream whose attempt starts now, first in a request whose whole budget is still left. */
  private WatchedStream watched(AttemptTimeouts timeouts) {
    long now = clock.nanoTime();
    return new WatchedStream(
        upstream, MODEL, timeouts, now, now + BUDGET.toNanos(), BUDGET, clock, alarms);
  }

  @Test
  void aFirstChunkAfterTheFirstTokenLimit_isLate_evenBeforeTheAlarmFired() {
    upstream.chunk(ms(1001), "Hi");
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    assertThat(alarms.only().after).isEqualTo(ms(1000));
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no first token within 1000 ms");
    assertThat(upstream.closes).isEqualTo(1);
    assertThat(alarms.only().cancelled).isTrue();
    // once timed out, it stays so without reading on
    assertThatThrownBy(stream::next).hasMessage("no first token within 1000 ms");
    assertThat(upstream.reads).isEqualTo(1);
  }

  @Test
  void chunksAtExactlyTheirLimits_areInTime() {
    // first token at 1000 ms (its limit); the next one 2000 ms later (the stall limit)
    upstream.chunk(ms(1000), "Hi").chunk(ms(2000), " there");
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    assertThat(stream.next()).map(ChatChunk::contentDelta).contains("Hi");
    assertThat(stream.next()).map(ChatChunk::contentDelta).contains(" there");
    assertThat(upstream.closes).isZero();
  }

  @Test
  void theStallLimit_runsFromTheLastChunkWithOutput_notFromChunksWithout() {
    // "Hi" at 500 ms moves the limit to 500 + 2000 = 2500 ms; the empty chunk at 2000 ms carries
    // no output and leaves it there, so " there" at 2600 ms is late
    upstream.chunk(ms(500), "Hi").chunk(ms(1500), "").chunk(ms(600), " there");
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    assertThat(stream.next()).map(ChatChunk::contentDelta).contains("Hi");
    assertThat(stream.next()).map(ChatChunk::contentDelta).contains("");
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no output for 2000 ms (stall limit)");
  }

  @Test
  void theDeadline_takesOverWhenItComesNoLaterThanTheLimit() {
    // the attempt starts 29 s into the request's 30 s: its first-token limit of 1 s ends exactly
    // at the deadline, which then names the wait
    long requestStart = clock.nanoTime();
    clock.advance(Duration.ofSeconds(29));
    upstream.chunk(ms(1001), "Hi");
    WatchedStream stream =
        new WatchedStream(
            upstream,
            MODEL,
            ONE_SECOND_THEN_TWO,
            clock.nanoTime(),
            requestStart + BUDGET.toNanos(),
            BUDGET,
            clock,
            alarms);

    assertThat(alarms.only().after).isEqualTo(ms(1000));
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("the request deadline of 30000 ms passed");
  }

  @Test
  void withoutLimitsOfItsOwn_theDeadlineAloneBoundsTheStream() {
    upstream.chunk(BUDGET.plusNanos(1), "Hi");
    WatchedStream stream = watched(AttemptTimeouts.INHERIT);

    assertThat(alarms.only().after).isEqualTo(BUDGET);
    assertThatThrownBy(stream::next).hasMessage("the request deadline of 30000 ms passed");
  }

  @Test
  void aStallWithoutLimit_leavesTheDeadline() {
    // "Hi" at 500 ms; with no stall limit the next chunk may come until the deadline at 30 s
    upstream.chunk(ms(500), "Hi").chunk(ms(29_500).plusNanos(1), " there");
    WatchedStream stream =
        watched(
            new AttemptTimeouts(
                Optional.of(Duration.ofSeconds(1)),
                Optional.of(AttemptTimeouts.NO_LIMIT),
                Optional.empty()));

    assertThat(stream.next()).map(ChatChunk::contentDelta).contains("Hi");
    assertThatThrownBy(stream::next).hasMessage("the request deadline of 30000 ms passed");
  }

  @Test
  void theAlarmAtTheLimit_closesTheUpstream_andTheReadEndsAsATimeoutNamingTheLimit() {
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    clock.advance(ms(1000));
    alarms.only().fire();

    assertThat(upstream.closes).isEqualTo(1);
    assertThat(alarms.set).hasSize(1);
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no first token within 1000 ms");
    assertThat(upstream.reads).isZero();
  }

  @Test
  void aReadThatTheAlarmEnds_surfacesAsTheTimeout_notAsTheUpstreamsCancellation() {
    upstream.blockUntilClosed(ms(1000));
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);
    upstream.onBlock = () -> alarms.only().fire();

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no first token within 1000 ms");
  }

  @Test
  void anUpstreamFailure_passesThroughAsItIs() {
    upstream.fail(
        ms(10), new ProviderException.Unavailable(MODEL.providerId(), "best", "cut", null));
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("cut");
  }

  @Test
  void anAlarmBeforeTheLimit_becauseOutputMovedItOn_setsItselfForWhatIsLeft() {
    upstream.chunk(ms(400), "Hi");
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);
    stream.next();

    // the first-token alarm fires at 1000 ms; the stall limit now ends at 400 + 2000 = 2400 ms
    clock.advance(ms(600));
    alarms.set.getFirst().fire();

    assertThat(upstream.closes).isZero();
    assertThat(alarms.set).hasSize(2);
    assertThat(alarms.set.get(1).after).isEqualTo(ms(1400));
    clock.advance(ms(1400));
    alarms.set.get(1).fire();
    assertThat(upstream.closes).isEqualTo(1);
    assertThatThrownBy(stream::next).hasMessage("no output for 2000 ms (stall limit)");
  }

  @Test
  void theEnd_cancelsTheAlarm() {
    upstream.chunk(ms(100), "Hi").end(ms(100));
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    stream.next();
    assertThat(stream.next()).isEmpty();

    assertThat(alarms.only().cancelled).isTrue();
    assertThat(upstream.closes).isZero();
  }

  @Test
  void close_isIdempotent_andCancelsTheAlarm() {
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);

    stream.close();
    stream.close();

    assertThat(upstream.closes).isEqualTo(1);
    assertThat(alarms.only().cancelled).isTrue();
  }

  @Test
  void anAlarmThatWasAlreadyFiringWhenTheStreamClosed_isNoTimeout() {
    WatchedStream stream = watched(ONE_SECOND_THEN_TWO);
    stream.close();

    clock.advance(ms(1000));
    alarms.only().fire();

    // the read fails as the closed upstream says, not with a limit that nobody waited for
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);
  }

  @Test
  void aLimitThatPassedWhileTheUpstreamWasOpened_closesItAtOnce() {
    // the attempt started 1500 ms ago, past its 1000 ms first-token limit: the alarm is due now
    // and fires before setting it has even returned
    long start = clock.nanoTime();
    clock.advance(ms(1500));
    WatchedStream stream =
        new WatchedStream(
            upstream,
            MODEL,
            ONE_SECOND_THEN_TWO,
            start,
            start + BUDGET.toNanos(),
            BUDGET,
            clock,
            (after, action) -> {
              assertThat(after).isEqualTo(Duration.ZERO);
              action.run();
              return () -> {};
            });

    assertThat(upstream.closes).isEqualTo(1);
    assertThatThrownBy(stream::next).hasMessage("no first token within 1000 ms");
  }

  /** Alarms that fire only when a test fires them. */
  private static final class HandAlarms implements Alarms {

    static final class HandAlarm implements Alarm {
      final Duration after;
      final Runnable action;
      boolean cancelled;

      HandAlarm(Duration after, Runnable action) {
        this.after = after;
        this.action = action;
      }

      @Override
      public void cancel() {
        cancelled = true;
      }

      /** Runs the action, cancelled or not: the alarm had started firing when it was cancelled. */
      void fire() {
        action.run();
      }
    }

    final List<HandAlarm> set = new ArrayList<>();

    @Override
    public Alarm set(Duration after, Runnable action) {
      HandAlarm alarm = new HandAlarm(after, action);
      set.add(alarm);
      return alarm;
    }

    HandAlarm only() {
      assertThat(set).hasSize(1);
      return set.getFirst();
    }
  }

  /**
   * An upstream that answers each read after the scripted time on the clock; once closed, reads
   * fail as cancelled, as a real connection's do.
   */
  private static final class Upstream implements ChatStream {

    private record Step(
        Duration after, ChatChunk chunk, ProviderException failure, boolean block) {}

    private final ManualTimeSource clock;
    private final Deque<Step> steps = new ArrayDeque<>();
    Runnable onBlock = () -> {};
    int reads;
    int closes;

    Upstream(ManualTimeSource clock) {
      this.clock = clock;
    }

    Upstream chunk(Duration after, String text) {
      steps.add(new Step(after, ChatChunk.content("best", text), null, false));
      return this;
    }

    Upstream end(Duration after) {
      steps.add(new Step(after, null, null, false));
      return this;
    }

    Upstream fail(Duration after, ProviderException failure) {
      steps.add(new Step(after, null, failure, false));
      return this;
    }

    /** A read that waits until the stream is closed ({@link #onBlock} stands for the wait). */
    Upstream blockUntilClosed(Duration after) {
      steps.add(new Step(after, null, null, true));
      return this;
    }

    @Override
    public Optional<ChatChunk> next() {
      reads++;
      if (closes > 0) {
        throw cancelled();
      }
      Step step = steps.removeFirst();
      clock.advance(step.after());
      if (step.block()) {
        onBlock.run();
        if (closes == 0) {
          throw new AssertionError("the read would block forever: nothing closed the stream");
        }
        throw cancelled();
      }
      if (step.failure() != null) {
        throw step.failure();
      }
      return Optional.ofNullable(step.chunk());
    }

    @Override
    public void close() {
      closes++;
    }

    private static ProviderException.Cancelled cancelled() {
      return new ProviderException.Cancelled(MODEL.providerId(), "best", "closed", null);
    }
  }
}
