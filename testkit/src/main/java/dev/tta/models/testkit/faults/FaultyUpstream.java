package dev.tta.models.testkit.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.testkit.faults.HttpConnection.Request;
import dev.tta.models.testkit.faults.ReceivedRequest.Ending;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import dev.tta.models.testkit.faults.Responder.Generation;
import dev.tta.models.testkit.faults.Responder.Outcome;
import dev.tta.models.time.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An OpenAI-compatible LLM server for tests that misbehaves on cue: the upstream a fault suite puts
 * behind the gateway. It answers {@code POST /v1/chat/completions} (JSON, or server-sent events
 * with {@code "stream": true}), {@code GET /v1/models} and {@code GET /health} with a deterministic
 * text ({@link Answers}), and applies to each chat request the next {@link Fault} of a script, then
 * those of a random {@link FaultMix}, then a default. It records every request with what it did and
 * how the exchange ended.
 *
 * <p>It is written on raw sockets (HTTP/1.1 with keep-alive, a virtual thread per connection on the
 * loopback address) rather than on an HTTP server library, because its faults are about exact bytes
 * and moments: a connection reset before the head, a chunked body that stops after the third token,
 * a connection held silently, a port that refuses connections and later accepts them again.
 *
 * <p>Continuation: a request whose last message is the assistant's is asking the model to go on
 * from that text. The upstream answers with the rest of its text after that prefix (its whole text
 * when the prefix does not begin it, as a model that ignores the prefix would), or, when {@link
 * Config#refusePrefixes() refusing prefixes}, with the HTTP 400 that Mistral's API and vLLM with
 * Mistral models send: "Expected last role User or Tool (or Assistant with prefix True) for serving
 * but got assistant". Faults that answer without the model (a status, a reset, no response) still
 * apply as scripted.
 *
 * <pre>{@code
 * try (FaultyUpstream up = FaultyUpstream.start(FaultyUpstream.config().modelIds("gpt-4o-mini"))) {
 *   up.enqueue(Fault.streamCutAfter(3, Cut.RESET), Fault.overloaded());
 *   URI base = up.baseUrl(); // http://127.0.0.1:PORT/v1/
 *   ...
 *   assertThat(up.chatRequests()).hasSize(2);
 * }
 * }</pre>
 */
public final class FaultyUpstream implements AutoCloseable {

  static final String CHAT_PATH = "/v1/chat/completions";
  static final String REFUSED_PREFIX =
      "Expected last role User or Tool (or Assistant with prefix True) for serving but got"
          + " assistant";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How an upstream is set up; change it with the methods named after the components.
   *
   * @param modelIds the models it lists and serves; a chat request for another gets 404 {@code
   *     model_not_found}
   * @param answers the text its model gives to a conversation (the messages before a prefix to
   *     continue)
   * @param acceptsPrefixes whether it continues a last assistant message or refuses it
   * @param clock where the instants and ticks it records come from (delays are always real time)
   * @param defaultFault what a chat request gets when the script is empty and no mix is set
   */
  public record Config(
      List<String> modelIds,
      Function<List<Message>, String> answers,
      boolean acceptsPrefixes,
      TimeSource clock,
      Fault defaultFault) {

    public Config {
      modelIds = List.copyOf(modelIds);
      if (modelIds.isEmpty()) {
        throw new IllegalArgumentException("modelIds: must name at least one model");
      }
      Objects.requireNonNull(answers, "answers");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(defaultFault, "defaultFault");
    }

    public Config modelIds(String... ids) {
      return new Config(List.of(ids), answers, acceptsPrefixes, clock, defaultFault);
    }

    public Config answers(Function<List<Message>, String> function) {
      return new Config(modelIds, function, acceptsPrefixes, clock, defaultFault);
    }

    /** The same text to every conversation. */
    public Config answer(String text) {
      return answers(Answers.fixed(text));
    }

    /** Answers a request that ends with an assistant message with HTTP 400. */
    public Config refusePrefixes() {
      return new Config(modelIds, answers, false, clock, defaultFault);
    }

    public Config clock(TimeSource source) {
      return new Config(modelIds, answers, acceptsPrefixes, source, defaultFault);
    }

    public Config defaultFault(Fault fault) {
      return new Config(modelIds, answers, acceptsPrefixes, clock, fault);
    }
  }

  /** What to do with one request, and what to record about it. */
  private record Plan(Fault fault, Optional<Fault> recorded, Generation generation) {

    static Plan unrecorded(Fault.Status status) {
      return new Plan(status, Optional.empty(), null);
    }

    static Plan rejected(Fault.Status status) {
      return new Plan(status, Optional.of(status), null);
    }
  }

  private final Config config;
  private final int port;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<ReceivedRequest> requests = new ArrayList<>();
  private final Queue<Fault> script = new ArrayDeque<>();
  private final Map<Long, HttpConnection> connections = new HashMap<>();
  private final Set<Thread> threads = new HashSet<>();
  private FaultMix mix;
  private SplittableRandom random;
  private ServerSocket listener;
  private long connectionCount;
  private boolean closed;

  private FaultyUpstream(Config config, ServerSocket listener) {
    this.config = config;
    this.listener = listener;
    this.port = listener.getLocalPort();
  }

  /** The default setup: model {@code test-model}, {@link Answers#wordsFromLastUserMessage()}. */
  public static Config config() {
    return new Config(
        List.of("test-model"),
        Answers.wordsFromLastUserMessage(),
        true,
        TimeSource.system(),
        Fault.answer());
  }

  /** Starts an upstream with the default setup on a free loopback port. */
  public static FaultyUpstream start() {
    return start(config());
  }

  /** Starts an upstream on a free loopback port. */
  public static FaultyUpstream start(Config config) {
    Objects.requireNonNull(config, "config");
    FaultyUpstream upstream = new FaultyUpstream(config, bind(0));
    upstream.startAccepting(upstream.listener);
    return upstream;
  }

  /** {@code http://127.0.0.1:PORT/v1/}: the base URL an OpenAI client is given. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port + "/v1/");
  }

  /** The port, the same for the upstream's whole life (also across {@link #takeDown()}). */
  public int port() {
    return port;
  }

  /** The text this upstream's model gives to a conversation, before any prefix or limit. */
  public String answerTo(List<Message> conversation) {
    return config.answers().apply(List.copyOf(conversation));
  }

  /** Adds faults to the script: the next chat requests get them, one each, in this order. */
  public void enqueue(Fault... faults) {
    List<Fault> added = Arrays.stream(faults).map(Objects::requireNonNull).toList();
    lock.lock();
    try {
      script.addAll(added);
    } finally {
      lock.unlock();
    }
  }

  /** Faults of the script that no request has taken yet. */
  public int queuedFaults() {
    lock.lock();
    try {
      return script.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * From now on, a chat request that finds the script empty draws its fault from this mix, which
   * starts its random sequence afresh from its seed; {@code FaultMix.seeded(s)} alone turns it off.
   */
  public void mix(FaultMix faults) {
    Objects.requireNonNull(faults, "faults");
    lock.lock();
    try {
      mix = faults;
      random = new SplittableRandom(faults.seed());
    } finally {
      lock.unlock();
    }
  }

  /** Every request received, oldest first. */
  public List<ReceivedRequest> requests() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  /** The {@code POST /v1/chat/completions} requests received, oldest first. */
  public List<ReceivedRequest> chatRequests() {
    return requests().stream().filter(ReceivedRequest::isChat).toList();
  }

  /**
   * Waits until at least {@code count} requests have arrived.
   *
   * @return all requests received by then
   * @throws AssertionError when they have not arrived in time
   */
  public List<ReceivedRequest> awaitRequests(int count, Duration timeout) {
    return await(
        timeout,
        () -> requests.size() >= count ? Optional.of(List.copyOf(requests)) : Optional.empty(),
        () -> count + " requests");
  }

  /**
   * Waits until at least {@code count} chat requests have arrived.
   *
   * @return all chat requests received by then
   * @throws AssertionError when they have not arrived in time
   */
  public List<ReceivedRequest> awaitChatRequests(int count, Duration timeout) {
    return await(
        timeout,
        () -> {
          List<ReceivedRequest> chats = requests.stream().filter(ReceivedRequest::isChat).toList();
          return chats.size() >= count ? Optional.of(chats) : Optional.empty();
        },
        () -> count + " chat requests");
  }

  /**
   * Waits until request {@code number} has arrived and its exchange has ended, such as a held
   * connection the client closes when it gives up or cancels.
   *
   * @return the request with its {@link ReceivedRequest#ending()}
   * @throws AssertionError when it has not ended in time
   */
  public ReceivedRequest awaitEnd(int number, Duration timeout) {
    return await(
        timeout,
        () ->
            requests.size() >= number && requests.get(number - 1).ending().isPresent()
                ? Optional.of(requests.get(number - 1))
                : Optional.empty(),
        () -> "request #" + number + " to end");
  }

  /** Connections accepted and not yet closed by either side. */
  public int openConnections() {
    lock.lock();
    try {
      return connections.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until exactly {@code count} connections are open.
   *
   * @throws AssertionError when the count is another at the end of the timeout
   */
  public void awaitOpenConnections(int count, Duration timeout) {
    await(
        timeout,
        () -> connections.size() == count ? Optional.of(count) : Optional.empty(),
        () -> count + " open connections, there were " + connections.size());
  }

  /**
   * Goes down: the port refuses connections and the open ones are reset (their exchanges end as
   * {@link How#STOPPED}), as when the server's process dies. Returns once every connection's thread
   * has finished.
   */
  public void takeDown() {
    ServerSocket closing;
    lock.lock();
    try {
      if (closed || listener == null) {
        return;
      }
      closing = listener;
      listener = null;
    } finally {
      lock.unlock();
    }
    closeQuietly(closing);
    stopConnectionsAndWait();
  }

  /** Comes back up on the same port after {@link #takeDown()}; nothing when it is up. */
  public void bringUp() {
    ServerSocket opened;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the upstream is closed");
      }
      if (listener != null) {
        return;
      }
      listener = bind(port);
      opened = listener;
    } finally {
      lock.unlock();
    }
    startAccepting(opened);
  }

  /** Whether the port refuses connections now. */
  public boolean isDown() {
    lock.lock();
    try {
      return listener == null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops listening, resets every connection and waits for all the upstream's threads to finish.
   * Requests received stay readable.
   */
  @Override
  public void close() {
    ServerSocket closing;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing = listener;
      listener = null;
    } finally {
      lock.unlock();
    }
    if (closing != null) {
      closeQuietly(closing);
    }
    stopConnectionsAndWait();
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on 127.0.0.1:" + port, e);
    }
  }

  private void startAccepting(ServerSocket socket) {
    Thread accepting =
        Thread.ofVirtual()
            .name("faulty-upstream-" + port + "-accept")
            .unstarted(() -> accept(socket));
    lock.lock();
    try {
      threads.add(accepting);
    } finally {
      lock.unlock();
    }
    accepting.start();
  }

  private void accept(ServerSocket socket) {
    try {
      while (true) {
        Socket accepted;
        try {
          accepted = socket.accept();
        } catch (IOException e) {
          return;
        }
        admit(socket, accepted);
      }
    } finally {
      finished();
    }
  }

  private void admit(ServerSocket from, Socket socket) {
    HttpConnection connection;
    Thread serving;
    lock.lock();
    try {
      if (listener != from) {
        closeQuietly(socket);
        return;
      }
      try {
        connection = new HttpConnection(++connectionCount, socket);
      } catch (IOException e) {
        closeQuietly(socket);
        return;
      }
      serving =
          Thread.ofVirtual()
              .name("faulty-upstream-" + port + "-connection-" + connection.id())
              .unstarted(() -> serve(connection));
      connections.put(connection.id(), connection);
      threads.add(serving);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    serving.start();
  }

  private void serve(HttpConnection connection) {
    try {
      while (exchange(connection)) {
        // one request after another on the same connection, as keep-alive clients send them
      }
    } finally {
      connection.close();
      lock.lock();
      try {
        connections.remove(connection.id());
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      finished();
    }
  }

  /** Reads and answers one request; whether the connection goes on. */
  private boolean exchange(HttpConnection connection) {
    Optional<Request> read;
    try {
      read = connection.read();
    } catch (HttpConnection.MalformedRequest e) {
      new Responder(connection, true)
          .perform(
              Fault.status(
                  400, OpenAiJson.error(e.getMessage(), "invalid_request_error", null, null)),
              null);
      return false;
    } catch (IOException e) {
      return false;
    }
    if (read.isEmpty()) {
      return false;
    }
    Request request = read.get();
    Instant arrival = config.clock().instant();
    long arrivalNanos = config.clock().nanoTime();
    Plan plan;
    int number;
    lock.lock();
    try {
      number = requests.size() + 1;
      plan = plan(request, number, arrival.getEpochSecond());
      requests.add(
          new ReceivedRequest(
              number,
              connection.id(),
              arrival,
              arrivalNanos,
              request.method(),
              request.target(),
              request.headers(),
              new String(request.body(), StandardCharsets.UTF_8),
              plan.recorded(),
              0,
              0,
              Optional.empty()));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    Outcome outcome =
        new Responder(connection, request.wantsClose()).perform(plan.fault(), plan.generation());
    Ending ending = new Ending(outcome.how(), config.clock().instant(), config.clock().nanoTime());
    lock.lock();
    try {
      requests.set(
          number - 1,
          requests.get(number - 1).ended(outcome.tokensSent(), outcome.bodyBytes(), ending));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return outcome.how() == How.COMPLETED && !request.wantsClose();
  }

  /** Decides what a request gets; for a chat request, takes the next fault. Under the lock. */
  private Plan plan(Request request, int number, long created) {
    String path = ReceivedRequest.pathOf(request.target());
    String method = request.method();
    if (method.equals("GET") && path.equals("/health")) {
      return Plan.unrecorded(Fault.status(200, OpenAiJson.health()));
    }
    if (method.equals("GET") && path.equals("/v1/models")) {
      return Plan.unrecorded(Fault.status(200, OpenAiJson.models(config.modelIds(), created)));
    }
    if (!method.equals("POST") || !path.equals(CHAT_PATH)) {
      return Plan.unrecorded(
          Fault.status(
              404,
              OpenAiJson.error(
                  "Invalid URL (" + method + " " + path + ")",
                  "invalid_request_error",
                  null,
                  null)));
    }
    JsonNode body = OpenAiJson.parse(new String(request.body(), StandardCharsets.UTF_8));
    if (!body.isObject()) {
      return Plan.rejected(
          Fault.status(
              400,
              OpenAiJson.error(
                  "We could not parse the JSON body of your request.",
                  "invalid_request_error",
                  null,
                  null)));
    }
    if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
      return Plan.rejected(
          Fault.status(
              400,
              OpenAiJson.error(
                  "Missing required parameter: 'messages'.",
                  "invalid_request_error",
                  "messages",
                  "missing_required_parameter")));
    }
    String model = body.path("model").asText("");
    if (!config.modelIds().contains(model)) {
      return Plan.rejected(
          Fault.status(
              404,
              OpenAiJson.error(
                  "The model `" + model + "` does not exist or you do not have access to it.",
                  "invalid_request_error",
                  null,
                  "model_not_found")));
    }
    Fault fault = nextFault();
    List<Message> messages = Message.listFrom(body.path("messages"));
    boolean prefixed = messages.getLast().role().equals("assistant");
    if (prefixed && !config.acceptsPrefixes() && usesTheModel(fault)) {
      return Plan.rejected(
          Fault.status(
              400, OpenAiJson.error(REFUSED_PREFIX, "invalid_request_error", "messages", null)));
    }
    String full = answerTo(prefixed ? messages.subList(0, messages.size() - 1) : messages);
    String prefix = prefixed ? messages.getLast().content() : "";
    List<String> tokens =
        Answers.tokens(full.startsWith(prefix) ? full.substring(prefix.length()) : full);
    JsonNode limit =
        body.has("max_completion_tokens")
            ? body.path("max_completion_tokens")
            : body.path("max_tokens");
    String finishReason = "stop";
    if (limit.canConvertToInt() && limit.asInt() >= 1 && limit.asInt() < tokens.size()) {
      tokens = tokens.subList(0, limit.asInt());
      finishReason = "length";
    }
    boolean stream = body.path("stream").asBoolean(false);
    boolean streamUsage =
        stream && body.path("stream_options").path("include_usage").asBoolean(false);
    OpenAiJson.Reply reply =
        new OpenAiJson.Reply("chatcmpl-faulty-" + number, created, model, streamUsage);
    return new Plan(
        fault,
        Optional.of(fault),
        new Generation(
            reply,
            List.copyOf(tokens),
            finishReason,
            Answers.promptTokens(messages),
            stream,
            streamUsage));
  }

  private Fault nextFault() {
    Fault scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    return mix == null ? config.defaultFault() : mix.draw(random, config.defaultFault());
  }

  /** Whether the fault answers with the model's output, which a refused prefix never reaches. */
  private static boolean usesTheModel(Fault fault) {
    return !(fault instanceof Fault.Status
        || fault instanceof Fault.ResetBeforeHead
        || fault instanceof Fault.NoResponse);
  }

  private <T> T await(Duration timeout, Supplier<Optional<T>> check, Supplier<String> awaited) {
    long left = timeout.toNanos();
    lock.lock();
    try {
      Optional<T> found = check.get();
      while (found.isEmpty()) {
        if (left <= 0) {
          throw new AssertionError(
              "waited "
                  + timeout
                  + " for "
                  + awaited.get()
                  + "; requests: "
                  + requests.stream().map(ReceivedRequest::summary).toList());
        }
        left = changed.awaitNanos(left);
        found = check.get();
      }
      return found.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + awaited.get(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Resets every open connection, then waits for every connection thread to finish. */
  private void stopConnectionsAndWait() {
    List<HttpConnection> open;
    List<Thread> running;
    lock.lock();
    try {
      open = List.copyOf(connections.values());
      running = List.copyOf(threads);
    } finally {
      lock.unlock();
    }
    open.forEach(HttpConnection::stop);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (Thread thread : running) {
      thread.interrupt();
      try {
        if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
          throw new IllegalStateException(
              thread.getName() + " did not stop within " + STOP_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the upstream", e);
      }
    }
  }

  private void finished() {
    lock.lock();
    try {
      threads.remove(Thread.currentThread());
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing what is being thrown away: a failure leaves nothing else to do
    }
  }
}
