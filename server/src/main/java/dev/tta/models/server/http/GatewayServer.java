package dev.tta.models.server.http;

import dev.tta.models.history.CallHistory;
import dev.tta.models.management.Health;
import dev.tta.models.server.auth.ApiKeys;
import dev.tta.models.server.auth.KeyAuthentication;
import dev.tta.models.server.config.ConfigException;
import dev.tta.models.server.config.ConfigProblem;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ServerSettings;
import dev.tta.models.server.dashboard.DashboardApi;
import dev.tta.models.server.management.ManagementApi;
import dev.tta.models.server.management.SpendApi;
import dev.tta.models.server.openai.OpenAiApi;
import dev.tta.models.server.openai.OpenAiError;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.state.StateStatus;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway over HTTP: the OpenAI-compatible API, the management API, health and metrics, with
 * key checks and errors in OpenAI's shape on every path (never a stack trace). Stopping drains: new
 * requests get 503 while those in flight finish, up to the configured shutdown timeout.
 */
public final class GatewayServer implements AutoCloseable {

  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  public static final String METRICS_PATH = "/metrics";
  public static final String DASHBOARD_PATH = DashboardApi.PAGE_PATH;
  public static final String DASHBOARD_DATA_PATH = DashboardApi.DATA_PATH;

  /** Every path under it (management, spend, the dashboard's data) needs a client key. */
  static final String API_PREFIX = "/api/v1/";

  /**
   * Connections the kernel may hold for the gateway before it accepts them. Java listens with a
   * backlog of 50 unless told otherwise: a burst of new connections beyond it (a load balancer
   * opening its pool, a thousand clients at once) has handshakes dropped, and those clients wait
   * out retransmissions of 1, 3 and 7 s. Linux caps the value at {@code net.core.somaxconn} (4096
   * by default).
   */
  static final int ACCEPT_QUEUE = 4096;

  /**
   * The longest a request waits for room for its body ({@link BodyMemory}) before it is refused:
   * long enough for the requests ahead of it to finish a short generation.
   */
  static final Duration BODY_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final Duration DRAIN_POLL = Duration.ofMillis(20);

  private final GatewayRuntime runtime;
  private final ObjectMapper mapper =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
  private final KeyAuthentication auth;
  private final RequestLog requestLog;
  private final BodyMemory bodyMemory;
  private final Duration bodyWait;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Javalin app;

  private GatewayServer(
      GatewayRuntime runtime, RequestLog requestLog, BodyMemory bodyMemory, Duration bodyWait) {
    this.runtime = runtime;
    this.requestLog = requestLog;
    this.bodyMemory = bodyMemory;
    this.bodyWait = bodyWait;
    GatewayConfig config = runtime.config();
    this.auth =
        new KeyAuthentication(
            new ApiKeys(
                config.auth().clientKeyHashes(),
                config.auth().adminKeyHash(),
                config.auth().names()));
  }

  /**
   * Starts serving the runtime on its configured address.
   *
   * @throws ConfigException when the address is not loopback and no key is configured: an open
   *     gateway on a network would spend its providers' credit for anyone
   */
  public static GatewayServer start(GatewayRuntime runtime) {
    return start(runtime, RequestLog.text());
  }

  /**
   * Starts serving the runtime, with one line per request in {@code requestLog}.
   *
   * @throws ConfigException as {@link #start(GatewayRuntime)} does
   */
  public static GatewayServer start(GatewayRuntime runtime, RequestLog requestLog) {
    return start(runtime, requestLog, BodyMemory.halfTheHeap(), BODY_WAIT);
  }

  /** As {@link #start(GatewayRuntime, RequestLog)}, with this room for request bodies. */
  static GatewayServer start(
      GatewayRuntime runtime, RequestLog requestLog, BodyMemory bodyMemory, Duration bodyWait) {
    ServerSettings settings = runtime.config().server();
    if (!settings.loopbackOnly() && runtime.config().auth().open()) {
      throw new ConfigException(
          runtime.config().source(),
          List.of(
              new ConfigProblem(
                  "auth",
                  "the gateway listens on "
                      + settings.host()
                      + ", which other machines can reach, and no key is configured; set"
                      + " auth.client_keys (or MM_API_KEYS) and auth.admin_key (or MM_ADMIN_KEY),"
                      + " or listen on 127.0.0.1")));
    }
    GatewayServer server = new GatewayServer(runtime, requestLog, bodyMemory, bodyWait);
    server.app = server.create(settings).start();
    if (server.auth.developmentMode()) {
      LOG.warn("no API key configured: development mode, every caller on this machine is let in");
    }
    return server;
  }

  public int port() {
    return app.port();
  }

  public GatewayRuntime runtime() {
    return runtime;
  }

  private Javalin create(ServerSettings settings) {
    OpenAiApi openAi = new OpenAiApi(runtime, mapper);
    ManagementApi management = new ManagementApi(runtime.management(), auth);
    SpendApi spend =
        new SpendApi(runtime.history(), runtime.budgets(), InstantSource.system(), mapper);
    DashboardApi dashboard = new DashboardApi(runtime, mapper);
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.concurrency.useVirtualThreads = true;
          config.http.maxRequestSize = settings.maxBodyBytes();
          // the connector Javalin would make, with a listen backlog of its own
          config.jetty.addConnector(
              (server, http) -> {
                ServerConnector connector =
                    new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
              });
          config.requestLogger.http(requestLog::log);
          // the dashboard's chart library, from its WebJar on the class path
          config.staticFiles.enableWebjars();
          config.routes.before(this::admit);
          openAi.register(config.routes);
          management.register(config.routes);
          spend.register(config.routes);
          dashboard.register(config.routes);
          config.routes.get(LIVE_PATH, ctx -> json(ctx, 200, Map.of("status", "live")));
          config.routes.get(READY_PATH, this::ready);
          config.routes.get(
              METRICS_PATH,
              ctx ->
                  ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                      .result(runtime.metrics().scrape()));
          config.routes.exception(OpenAiError.class, (e, ctx) -> error(ctx, e));
          config.routes.exception(
              HttpResponseException.class,
              (e, ctx) -> error(ctx, fromJavalin(ctx, e.getStatus(), e.getMessage())));
          config.routes.exception(
              Exception.class,
              (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(
                    ctx,
                    new OpenAiError(
                        500,
                        "server_error",
                        null,
                        "internal_error",
                        "internal error; see the gateway log"));
              });
        });
  }

  private void admit(Context ctx) throws InterruptedException {
    inFlight.incrementAndGet();
    // counted out once the answer is sent in full (or the exchange failed), not when the handler
    // returns: Javalin writes a handler's result after its after-handlers, so a stop that saw the
    // count fall to zero there could close the connection before the answer went out
    Request exchange = ServletContextRequest.getServletContextRequest(ctx.req());
    Request.addCompletionListener(exchange, failure -> inFlight.decrementAndGet());
    if (draining.get()) {
      ctx.header("Connection", "close");
      throw new OpenAiError(
          503, "server_error", null, "shutting_down", "the gateway is shutting down");
    }
    String path = ctx.path();
    if (path.startsWith("/v1/") || path.startsWith(API_PREFIX)) {
      auth.requireClient(ctx);
    }
    long length = ctx.req().getContentLengthLong();
    boolean chunked = ctx.header("Transfer-Encoding") != null;
    if (length > 0 || chunked) {
      // a body of unknown length may be as large as the largest accepted, and a larger one is
      // refused (413) before more than that is read
      long largest = runtime.config().server().maxBodyBytes();
      int taken = bodyMemory.acquire(chunked ? largest : Math.min(length, largest), bodyWait);
      if (taken == 0) {
        throw new OpenAiError(
                503,
                "server_error",
                null,
                "overloaded",
                "the gateway is serving as many request bodies as its memory allows ("
                    + bodyMemory.budgetMib()
                    + " MiB, copies included); retry shortly")
            .withRetryAfter(Duration.ofSeconds(1));
      }
      Request.addCompletionListener(exchange, failure -> bodyMemory.release(taken));
    }
  }

  /**
   * Ready while a provider answers. The body also says how storage is doing: a shared routing state
   * that cannot be reached makes the replica {@code degraded} in the body, never unready, since it
   * serves on its own state.
   */
  private void ready(Context ctx) {
    Health health = runtime.management().health();
    StateStatus state = runtime.routingState().status();
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("history", runtime.history().map(CallHistory::description).orElse(null));
    storage.put("state", state.backend());
    storage.put("state_location", state.location());
    storage.put("status", state.degraded() ? "degraded" : "ok");
    storage.put("detail", state.detail());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", health.status());
    body.put("healthy_providers", health.healthyProviders());
    body.put("providers", health.providers());
    body.put("storage", storage);
    json(ctx, health.healthyProviders() > 0 ? 200 : 503, body);
  }

  private void json(Context ctx, int status, Object body) {
    Answers.json(ctx, status, mapper, body);
  }

  private void error(Context ctx, OpenAiError e) {
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    // whole seconds, rounded up: a client that waits as told finds the upstream ready
    e.retryAfter()
        .ifPresent(
            wait ->
                ctx.header(
                    "Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
    json(ctx, e.status(), e.body());
  }

  private static OpenAiError fromJavalin(Context ctx, int status, String message) {
    if (status == 404) {
      return new OpenAiError(
          404,
          "invalid_request_error",
          null,
          "not_found",
          "no such endpoint: " + ctx.method() + " " + ctx.path());
    }
    if (status == 413) {
      return new OpenAiError(
          413, "invalid_request_error", null, "request_too_large", "the request body is too large");
    }
    String type = status >= 500 ? "server_error" : "invalid_request_error";
    return new OpenAiError(status, type, null, "http_" + status, String.valueOf(message));
  }

  /**
   * Stops accepting, waits for requests in flight (up to the shutdown timeout), stops the HTTP
   * server and closes the providers. Idempotent.
   */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    long deadline = System.nanoTime() + runtime.config().server().shutdownTimeout().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(DRAIN_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = inFlight.get();
    if (left > 0) {
      LOG.warn("stopping with {} request(s) still in flight after the shutdown timeout", left);
    }
    app.stop();
    runtime.close();
  }
}
