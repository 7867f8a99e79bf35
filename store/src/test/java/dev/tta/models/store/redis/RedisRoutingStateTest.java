package dev.tta.models.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.state.StateChange;
import dev.tta.models.testkit.servers.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas' states over a real redis-server: propagation, counters, an outage and re-sync. */
class RedisRoutingStateTest {

  private static final ModelKey MODEL = ModelKey.of("cloud", "best");
  private static final Instant PROBE = Instant.parse("2099-01-01T00:00:00Z");
  private static final Instant END = Instant.parse("2099-02-01T00:00:00Z");

  private RedisServer redis;
  private RedisRoutingState a;
  private RedisRoutingState b;
  private final BlockingQueue<StateChange> receivedByA = new LinkedBlockingQueue<>();
  private final BlockingQueue<StateChange> receivedByB = new LinkedBlockingQueue<>();
  private final List<StateChange> snapshotOfA = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    a = RedisRoutingState.connect(redis.url(), 0, "redis://127.0.0.1:" + redis.port() + "/0");
    b = RedisRoutingState.connect(redis.url(), 0, "redis://127.0.0.1:" + redis.port() + "/0");
    a.start(receivedByA::add, () -> List.copyOf(snapshotOfA));
    b.start(receivedByB::add, List::of);
    await(() -> !a.status().degraded() && !b.status().degraded(), "both connected");
    receivedByA.clear();
    receivedByB.clear();
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    redis.close();
  }

  @Test
  void aChangePublishedByOneReplica_reachesTheOther_withinASecond_andNotItself() throws Exception {
    long[] micros = new long[100];
    for (int i = 0; i < micros.length; i++) {
      StateChange opened = new StateChange.CircuitOpened(MODEL, PROBE.plusSeconds(i));
      long sent = System.nanoTime();
      a.publish(opened);
      StateChange received = receivedByB.poll(1, TimeUnit.SECONDS);
      micros[i] = (System.nanoTime() - sent) / 1_000;
      assertThat(received).isEqualTo(opened);
    }
    java.util.Arrays.sort(micros);
    System.out.printf(
        "state propagation A -> B over %d changes: median %d us, p99 %d us, max %d us%n",
        micros.length, micros[49], micros[98], micros[99]);
    assertThat(receivedByA.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void everyKindOfChange_travelsUnchanged() throws Exception {
    List<StateChange> changes =
        List.of(
            new StateChange.FailureRecorded(MODEL, ErrorClass.RATE_LIMITED, PROBE),
            new StateChange.SuccessRecorded(MODEL, PROBE),
            new StateChange.ProviderOut(ProviderId.of("cloud"), "key refused: 401 % ü", PROBE),
            new StateChange.ModelReset(ModelKey.of("openrouter", "meta/llama:free")),
            new StateChange.ProviderReset(ProviderId.of("cloud")));
    changes.forEach(a::publish);

    for (StateChange change : changes) {
      assertThat(receivedByB.poll(2, TimeUnit.SECONDS)).isEqualTo(change);
    }
  }

  @Test
  void spendAddedOnOneReplica_isCountedOnTheOther() {
    // a counter no replica has yet is seeded from the history: 1.5 already spent
    assertThat(a.spend("spend:team-a:month", () -> 1.5, END)).isEqualTo(1.5);
    a.addSpend("spend:team-a:month", 0.25, () -> 99.0, END);
    // B looks only once A's count is in Redis: B's own seed, 99, must then never count
    await(() -> "1.75".equals(inRedis("mm:spend:team-a:month")), "A's count in Redis");

    await(() -> b.spend("spend:team-a:month", () -> 99.0, END) == 1.75, "B sees 1.5 + 0.25");
    b.addSpend("spend:team-a:month", 1.0, () -> 99.0, END);
    await(() -> a.spend("spend:team-a:month", () -> 99.0, END) == 2.75, "A sees 1.75 + 1.0");
  }

  @Test
  void replicasSeedingOneCounterAtOnce_agreeOnTheSeedThatReachedRedisFirst() {
    double seenByA = a.spend("spend:team-b:day", () -> 3.0, END);
    double seenByB = b.spend("spend:team-b:day", () -> 5.0, END);
    assertThat(List.of(seenByA, seenByB)).allMatch(seen -> seen == 3.0 || seen == 5.0);

    await(
        () -> {
          String shared = inRedis("mm:spend:team-b:day");
          return shared != null
              && a.spend("spend:team-b:day", () -> 0.0, END) == Double.parseDouble(shared)
              && b.spend("spend:team-b:day", () -> 0.0, END) == Double.parseDouble(shared);
        },
        "both count on the seed in Redis");
  }

  @Test
  void redisGone_degradesWithoutFailing_andItsReturnResyncsCircuitsAndSpend() throws Exception {
    a.spend("spend:team-a:day", () -> 0.0, END);
    await(() -> b.spend("spend:team-a:day", () -> 0.0, END) == 0.0, "counter known");
    redis.kill();
    await(() -> a.status().degraded() && b.status().degraded(), "both degraded");
    assertThat(a.status().detail()).contains("unreachable");

    // on its own: publishing is dropped, counting goes on locally
    a.publish(new StateChange.CircuitOpened(MODEL, PROBE));
    a.addSpend("spend:team-a:day", 2.0, () -> 0.0, END);
    assertThat(a.spend("spend:team-a:day", () -> 0.0, END)).isEqualTo(2.0);
    snapshotOfA.add(new StateChange.CircuitOpened(MODEL, PROBE));

    redis.restart();

    await(() -> !a.status().degraded() && !b.status().degraded(), "both back");
    assertThat(receivedByB.poll(5, TimeUnit.SECONDS))
        .isEqualTo(new StateChange.CircuitOpened(MODEL, PROBE));
    await(
        () -> b.spend("spend:team-a:day", () -> 0.0, END) == 2.0,
        "B learns the spend A counted alone");
  }

  private String inRedis(String key) {
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().get(key);
    } finally {
      client.shutdown();
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
