package dev.tta.models.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {

  // the ticker's origin is 10^12 ns, not 0, as System.nanoTime()'s is arbitrary
  private static final long ORIGIN = 1_000_000_000_000L;

  @Test
  void defaultStart_2026NewYearAtTheTickerOrigin() {
    ManualTimeSource time = new ManualTimeSource();

    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    // 2025-01-01 is 1735689600 s; plus 365 days x 86400 s = 31536000 s: 1767225600 s
    assertThat(time.millis()).isEqualTo(1_767_225_600_000L);
    assertThat(time.nanoTime()).isEqualTo(ORIGIN);
  }

  @Test
  void advance_movesInstantAndTickerTogether() {
    ManualTimeSource time = new ManualTimeSource();

    time.advance(Duration.ofMillis(1500));

    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
    assertThat(time.nanoTime()).isEqualTo(ORIGIN + 1_500_000_000L);
    // 1767225600000 + 1500
    assertThat(time.millis()).isEqualTo(1_767_225_601_500L);
  }

  @Test
  void advance_accumulatesDownToTheNanosecond() {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2030-06-15T12:00:00Z"));

    time.advance(Duration.ofSeconds(59));
    time.advance(Duration.ofNanos(999_999_999));
    time.advanceMillis(1);

    // 59 s + 999999999 ns + 1000000 ns = 60.000999999 s
    assertThat(time.nanoTime()).isEqualTo(ORIGIN + 60_000_999_999L);
    assertThat(time.instant()).isEqualTo(Instant.parse("2030-06-15T12:01:00.000999999Z"));
  }

  @Test
  void advance_zeroChangesNothing() {
    ManualTimeSource time = new ManualTimeSource();

    time.advance(Duration.ZERO);

    assertThat(time.nanoTime()).isEqualTo(ORIGIN);
    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void advance_negativeRefusedAndNothingMoves() {
    ManualTimeSource time = new ManualTimeSource();

    assertThatThrownBy(() -> time.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration: must not be negative, was PT-0.000000001S");
    assertThatThrownBy(() -> time.advanceMillis(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration: must not be negative, was PT-0.001S");
    assertThat(time.nanoTime()).isEqualTo(ORIGIN);
  }

  @Test
  void sleep_advancesInsteadOfBlocking() {
    ManualTimeSource time = new ManualTimeSource();

    time.sleep(Duration.ofMinutes(5));

    assertThat(time.nanoTime()).isEqualTo(ORIGIN + 300_000_000_000L);
    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
    assertThatThrownBy(() -> time.sleep(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration: must not be negative, was PT-1S");
  }

  @Test
  void instant_beforeTheEpochKeepsNanosecondsPositive() {
    // start -1 s + 500000000 ns = -0.5 s from the epoch
    ManualTimeSource time = new ManualTimeSource(Instant.parse("1969-12-31T23:59:59.500Z"));

    assertThat(time.instant()).isEqualTo(Instant.parse("1969-12-31T23:59:59.500Z"));
    time.advanceMillis(600);
    // -0.5 s + 0.6 s = 0.1 s
    assertThat(time.instant()).isEqualTo(Instant.parse("1970-01-01T00:00:00.100Z"));
  }

  @Test
  void constructor_startRequired() {
    assertThatThrownBy(() -> new ManualTimeSource(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("start");
  }

  @Test
  void advance_concurrentAdvancesAllCount() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    time.advance(Duration.ofNanos(1));
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }

    // 4 threads x 1000 advances x 1 ns = 4000 ns
    assertThat(time.nanoTime()).isEqualTo(ORIGIN + 4000L);
  }
}
