package dev.tta.models.benchmarks;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every provider call pays for being measured: building its {@link CallRecord} (with the
 * current time) and recording it, from two threads over 50 models.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class MonitorRecordBenchmark {

  private static final int MODELS = 50;

  @State(Scope.Benchmark)
  public static class Shared {
    final TimeSource time = TimeSource.system();
    final PerformanceMonitor monitor = new PerformanceMonitor(time);
    final ModelKey[] keys = new ModelKey[MODELS];

    @Setup
    public void setUp() {
      for (int i = 0; i < MODELS; i++) {
        keys[i] = ModelKey.of("bench", "model-" + i);
      }
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  public void record(Shared shared, Cursor cursor) {
    int i = cursor.next++ % MODELS;
    shared.monitor.record(
        CallRecord.success(
            shared.keys[i],
            TaskType.GENERAL_CHAT,
            shared.time.instant(),
            Duration.ofMillis(200 + i * 10L),
            Optional.of(Duration.ofMillis(50 + i)),
            120,
            80,
            0.0001));
  }
}
