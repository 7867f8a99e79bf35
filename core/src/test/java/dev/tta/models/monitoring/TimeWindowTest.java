package dev.tta.models.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

  @Test
  void bucketCount_lengthOverBucketWidth() {
    // 60 s / 5 s = 12; 60 min / 1 min = 60; 24 h / 1 h = 24
    assertThat(TimeWindow.ONE_MINUTE.bucketCount()).isEqualTo(12);
    assertThat(TimeWindow.ONE_HOUR.bucketCount()).isEqualTo(60);
    assertThat(TimeWindow.ONE_DAY.bucketCount()).isEqualTo(24);
  }

  @Test
  void bucketWidth_theResolution() {
    assertThat(TimeWindow.ONE_MINUTE.bucketWidth()).isEqualTo(Duration.ofSeconds(5));
    assertThat(TimeWindow.ONE_HOUR.bucketWidth()).isEqualTo(Duration.ofMinutes(1));
    assertThat(TimeWindow.ONE_DAY.bucketWidth()).isEqualTo(Duration.ofHours(1));
    assertThat(TimeWindow.ONE_DAY.length()).isEqualTo(Duration.ofDays(1));
  }
}
