package dev.tta.models.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemTimeTest {

  @Test
  void system_readsTheRealClock() {
    TimeSource time = TimeSource.system();
    Instant before = Instant.now();
    long nanosBefore = System.nanoTime();

    Instant instant = time.instant();
    long millis = time.millis();
    long nanos = time.nanoTime();

    assertThat(instant).isAfterOrEqualTo(before);
    assertThat(millis).isGreaterThanOrEqualTo(before.toEpochMilli());
    assertThat(nanos).isGreaterThanOrEqualTo(nanosBefore);
    assertThat(TimeSource.system()).isSameAs(time);
  }

  @Test
  void systemSleeper_zeroDurationReturns() throws InterruptedException {
    Sleeper.system().sleep(Duration.ZERO);

    assertThat(Sleeper.system()).isNotNull();
  }
}
