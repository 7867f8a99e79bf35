package dev.tta.models.store.redis;

import dev.tta.models.state.RoutingState;
import dev.tta.models.state.StateChange;
import dev.tta.models.state.StateStatus;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing state shared through Redis (Lettuce). Changes travel by pub/sub on one channel per
 * database ({@value #CHANNEL_PREFIX}{@code <db>}), so a replica applies another's change within
 * milliseconds; spend counters are Redis numbers ({@code INCRBYFLOAT}), each replica keeping what
 * it added but could not yet write. Nothing here blocks a request on Redis: publishing is
 * asynchronous and commands are refused at once while disconnected, and the counters a request
 * reads are this replica's copy, kept current by the messages.
 *
 * <p>When Redis goes away the replica serves on its own state and logs it once; Lettuce reconnects,
 * and on every (re)subscription the replica re-syncs: it writes its unwritten spend, publishes its
 * open circuits and providers out, and asks the others for theirs.
 */
public final class RedisRoutingState implements RoutingState {

  static final String CHANNEL_PREFIX = "mm:routing:";
  static final String COUNTER_PREFIX = "mm:";

  /** How long a command may take before it is given up (and retried at the next re-sync). */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** Between attempts to connect when Redis was not there at start. */
  static final Duration CONNECT_RETRY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisRoutingState.class);

  /** A spend counter as this replica knows it. Guarded by itself. */
  private static final class Counter {
    double confirmed;
    double unwritten;
    final Instant expiresAt;

    Counter(double confirmed, Instant expiresAt) {
      this.confirmed = confirmed;
      this.expiresAt = expiresAt;
    }

    synchronized double total() {
      return confirmed + unwritten;
    }
  }

  private final RedisClient client;
  private final String shown;
  private final String channel;
  private final String replica = UUID.randomUUID().toString();
  private final ScheduledExecutorService worker;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicBoolean degraded = new AtomicBoolean(true);
  private final AtomicBoolean outageLogged = new AtomicBoolean();
  private volatile String problem = "not connected yet";
  private volatile StatefulRedisConnection<String, String> commands;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile Consumer<StateChange> receiver = change -> {};
  private volatile Supplier<List<StateChange>> snapshot = List::of;
  private volatile boolean closed;

  private RedisRoutingState(RedisClient client, int database, String shown) {
    this.client = client;
    this.shown = shown;
    this.channel = CHANNEL_PREFIX + database;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mm-state-redis").daemon().factory());
  }

  /**
   * Builds the state and starts connecting in the background: a Redis that is not there yet leaves
   * this replica serving alone until it is.
   *
   * @param shown the location without its password, for logs and status
   */
  public static RedisRoutingState connect(String uri, int database, String shown) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(redisUri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    RedisRoutingState state = new RedisRoutingState(client, database, shown);
    client.addListener(state.new ConnectionWatch());
    return state;
  }

  @Override
  public void start(Consumer<StateChange> receiver, Supplier<List<StateChange>> snapshot) {
    this.receiver = receiver;
    this.snapshot = snapshot;
    worker.execute(this::connectOnce);
  }

  private void connectOnce() {
    if (closed) {
      return;
    }
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub();
      subscription.addListener(new Messages());
      commands = connection;
      pubSub = subscription;
      subscription.sync().subscribe(channel);
    } catch (RuntimeException e) {
      lost("cannot connect: " + e.getClass().getSimpleName());
      worker.schedule(this::connectOnce, CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void lost(String why) {
    problem = "Redis at " + shown + " unreachable since " + Instant.now() + " (" + why + ")";
    degraded.set(true);
    if (outageLogged.compareAndSet(false, true)) {
      LOG.warn("{}: this replica serves on its own routing state until it is back", problem);
    }
  }

  /** Runs on the worker after every (re)subscription: the replicas tell each other all again. */
  private void resync() {
    StatefulRedisConnection<String, String> connection = commands;
    StatefulRedisPubSubConnection<String, String> subscription = pubSub;
    // queued before a disconnect that has happened since: the outage it reported stands
    if (connection == null
        || subscription == null
        || closed
        || !connection.isOpen()
        || !subscription.isOpen()) {
      return;
    }
    degraded.set(false);
    if (outageLogged.getAndSet(false)) {
      LOG.info("Redis at {} is back: routing state shared again, re-syncing", shown);
    }
    problem = "";
    for (Map.Entry<String, Counter> entry : counters.entrySet()) {
      writeCounter(entry.getKey(), entry.getValue(), true);
    }
    for (StateChange change : snapshot.get()) {
      send(new StateMessage.Change(change));
    }
    send(new StateMessage.SyncRequest());
  }

  @Override
  public void publish(StateChange change) {
    send(new StateMessage.Change(change));
  }

  private void send(StateMessage.Body body) {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection == null || closed) {
      return;
    }
    String message = new StateMessage(replica, Instant.now(), body).encode();
    connection
        .async()
        .publish(channel, message)
        .exceptionally(
            e -> {
              LOG.debug("state message not sent: {}", e.getMessage());
              return 0L;
            });
  }

  private void receive(String text) {
    StateMessage message;
    try {
      message = StateMessage.decode(text);
    } catch (RuntimeException e) {
      LOG.warn("ignored a state message this version does not read: {}", e.getMessage());
      return;
    }
    if (message.sender().equals(replica)) {
      return;
    }
    switch (message.body()) {
      case StateMessage.Change change -> receiver.accept(change.change());
      case StateMessage.Spend spend -> {
        Counter counter =
            counters.computeIfAbsent(spend.counter(), k -> new Counter(0, spend.expiresAt()));
        synchronized (counter) {
          counter.confirmed = Math.max(counter.confirmed, spend.total());
        }
      }
      case StateMessage.SyncRequest request -> {
        for (StateChange change : snapshot.get()) {
          send(new StateMessage.Change(change));
        }
      }
    }
  }

  @Override
  public void addSpend(String counter, double usd, Supplier<Double> seed, Instant expiresAt) {
    Counter known = counter(counter, seed, expiresAt);
    synchronized (known) {
      known.unwritten += usd;
    }
    worker.execute(() -> writeCounter(counter, known, false));
  }

  @Override
  public double spend(String counter, Supplier<Double> seed, Instant expiresAt) {
    return counter(counter, seed, expiresAt).total();
  }

  private Counter counter(String name, Supplier<Double> seed, Instant expiresAt) {
    return counters.computeIfAbsent(
        name,
        key -> {
          Double inRedis = read(key);
          if (inRedis != null) {
            return new Counter(inRedis, expiresAt);
          }
          Counter fresh = new Counter(seed.get(), expiresAt);
          worker.execute(() -> writeCounter(key, fresh, true));
          return fresh;
        });
  }

  private Double read(String counter) {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection == null || degraded.get()) {
      return null;
    }
    try {
      String value = connection.sync().get(COUNTER_PREFIX + counter);
      return value == null ? null : Double.valueOf(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Writes what this replica added to the counter and learns the total; with {@code seed}, first
   * creates the counter in Redis from this replica's view when no replica has (Redis lost it, or
   * nobody counted this period yet). Runs on the worker.
   */
  private void writeCounter(String name, Counter counter, boolean seed) {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection == null || degraded.get() || !counter.expiresAt.isAfter(Instant.now())) {
      return;
    }
    double adding;
    double baseline;
    synchronized (counter) {
      adding = counter.unwritten;
      baseline = counter.confirmed;
    }
    String key = COUNTER_PREFIX + name;
    try {
      RedisCommands<String, String> redis = connection.sync();
      if (seed
          && redis.set(key, Double.toString(baseline), SetArgs.Builder.nx().pxAt(counter.expiresAt))
              == null) {
        // another replica created it first: its total is the one every replica counts on from
        String shared = redis.get(key);
        if (shared != null) {
          synchronized (counter) {
            counter.confirmed = Double.parseDouble(shared);
          }
        }
      }
      double total = adding > 0 ? redis.incrbyfloat(key, adding) : Double.valueOf(redis.get(key));
      synchronized (counter) {
        counter.unwritten -= adding;
        counter.confirmed = Math.max(counter.confirmed, total - counter.unwritten);
      }
      if (adding > 0) {
        redis.pexpireat(key, counter.expiresAt.toEpochMilli());
        send(new StateMessage.Spend(name, total, counter.expiresAt));
      }
    } catch (RuntimeException e) {
      LOG.debug("spend counter {} not written now: {}", name, e.getMessage());
    }
  }

  @Override
  public StateStatus status() {
    return new StateStatus("redis", shown, degraded.get(), degraded.get() ? problem : "");
  }

  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
    StatefulRedisPubSubConnection<String, String> subscription = pubSub;
    if (subscription != null) {
      subscription.close();
    }
    StatefulRedisConnection<String, String> connection = commands;
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
  }

  /**
   * Runs {@code task} on the worker, after what is already queued there. Connection events,
   * re-syncs and received changes all go through it, so a re-sync queued before a disconnect runs
   * before the disconnect is recorded, and cannot clear it afterwards.
   */
  private void onWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private final class Messages extends RedisPubSubAdapter<String, String> {
    @Override
    public void message(String from, String text) {
      onWorker(() -> receive(text));
    }

    @Override
    public void subscribed(String subscribedTo, long count) {
      onWorker(RedisRoutingState.this::resync);
    }
  }

  private final class ConnectionWatch implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      onWorker(
          () -> {
            if (!closed) {
              lost("connection lost");
            }
          });
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      onWorker(RedisRoutingState.this::resync);
    }
  }
}
