package dev.tta.models.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.testkit.ContractRecordings.Conversation;
import dev.tta.models.testkit.ContractRecordings.ErrorCase;
import dev.tta.models.testkit.ContractRecordings.ToolScenario;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.RecordedRequest;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.replay.ReplayPeer.PeerConnection;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The behaviour every {@link ModelProvider} must show, checked against a real peer: a replay server
 * serving recorded payloads (see {@link ReplayPeer}), or a real model run in process. A provider's
 * test class extends this, declares its {@link Peer} (the started replay server, or in process),
 * supplies a way to build the provider, the recordings or expected answers, and its capabilities as
 * data: a case whose capability is not declared is skipped, saying which capability it needs, and
 * so is a case that checks a peer's side of the wire when the provider runs in process. No case is
 * overridden.
 */
@Timeout(60)
public abstract class ModelProviderContract {

  /** What a provider can do; each selects the cases that check it. */
  public enum Capability {
    /** {@code listModels} returns the recorded models; {@code load} refuses unknown ones. */
    LIST_MODELS,
    /** One whole answer. */
    CHAT,
    /** Streamed answers. */
    STREAMING,
    /** A stream reports token usage. */
    USAGE_IN_STREAM,
    /** Tool calls are passed through. */
    TOOLS,
    /** {@code health()} reports the provider up; with a peer, down for a dead or silent one. */
    HEALTH,
    /**
     * Closing a stream stops it: with a peer, its connection closes before the whole body came; in
     * process, its generation ends and the model serves the next call.
     */
    CANCELLATION,
    /** Recorded error payloads map to their exceptions. */
    ERROR_MAPPING,
    /** Call timeouts are honoured while a peer stalls or an in-process model is busy. */
    TIMEOUTS,
    /** Requests equal the recorded requests: only the fields that were set are sent. */
    RECORDED_REQUESTS,
    /** Requests satisfy the API's published schema. */
    REQUEST_SCHEMA,
    /**
     * The provider talks to the peer over the network, so connections are checked from the peer's
     * side: closing the provider must close every one it opened.
     */
    NETWORK_PEER
  }

  /** What {@link ProviderTarget#root()} is for a provider that runs in process. */
  public static final URI NO_PEER = URI.create("urn:mm:in-process");

  /** How long a normal call may take before a case counts it as hung. */
  protected static final CallOptions CALL = CallOptions.withTimeout(Duration.ofSeconds(20));

  /** The timeout the timeout cases configure. */
  protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

  /** What a timeout may overrun by on a loaded machine before the case fails. */
  protected static final Duration TIMEOUT_SLACK = Duration.ofSeconds(3);

  /**
   * How much earlier than the test's clock says a timeout may fire: the JDK HttpClient keeps its
   * deadlines in whole milliseconds of its own clock reading, so it can fire a fraction of a
   * millisecond before the nanoseconds measured around the call add up to the timeout. Far below
   * the timeout itself, so a provider that did not wait still fails the case.
   */
  protected static final Duration TIMER_ROUNDING = Duration.ofMillis(5);

  /** How long cases wait for the peer to see connections closed and for threads to end. */
  protected static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

  private final List<ModelProvider> providers = new ArrayList<>();

  /** Streams that keep in-process models busy for a case; closed after it. */
  private final List<ChatStream> occupying = new ArrayList<>();

  /** The capabilities of the provider under test. */
  protected abstract Set<Capability> capabilities();

  /** What the provider talks to: the started replay peer, or none (in process). */
  protected abstract Peer peer();

  /** A new provider pointed at the target. */
  protected abstract ModelProvider createProvider(ProviderTarget target);

  /** The recordings and their expected values (read lazily, so that absent fixtures skip). */
  protected abstract ContractRecordings recordings();

  /**
   * Package-name prefixes of the code that must leave no thread running once the provider is
   * closed: by default the provider's parent package and the JDK's HTTP client.
   */
  protected Set<String> ownedPackages(ModelProvider provider) {
    String name = provider.getClass().getPackageName();
    int dot = name.lastIndexOf('.');
    return Set.of(dot < 0 ? name : name.substring(0, dot + 1), "jdk.internal.net.http.");
  }

  @BeforeEach
  void resetPeer() {
    if (peer() instanceof Peer.Replay(ReplayPeer server)) {
      server.reset();
    }
  }

  @AfterEach
  void closeProvidersAndCheckRequests() {
    occupying.forEach(ChatStream::close);
    occupying.clear();
    providers.forEach(ModelProvider::close);
    providers.clear();
    if (capabilities().contains(Capability.REQUEST_SCHEMA) && peer() instanceof Peer.Replay) {
      ContractRecordings recordings = recordings();
      recordings.requestSchema().ifPresent(schema -> assertRequestsConform(recordings));
    }
  }

  // ---- listing ----

  @Test
  void listsModelsWithValidModelInfo() {
    requires(Capability.LIST_MODELS);
    ContractRecordings recordings = recordings();
    serve(recordings.models());
    ModelProvider provider = provider();

    List<ModelInfo> models = provider.listModels(ModelFilter.ALL);

    assertThat(models).extracting(ModelInfo::id).containsAll(recordings.expectedModelIds());
    assertThat(models).extracting(ModelInfo::id).doesNotHaveDuplicates();
    for (ModelInfo model : models) {
      assertThat(model.providerId()).isEqualTo(provider.id());
      assertThat(model.providerType()).isEqualTo(provider.type());
      model.contextLength().ifPresent(tokens -> assertThat(tokens).isPositive());
      assertThat(ModelKey.parse(model.key().toString())).isEqualTo(model.key());
    }
    recordings
        .contextLengths()
        .forEach(
            (id, tokens) ->
                assertThat(models)
                    .filteredOn(m -> m.id().equals(id))
                    .extracting(ModelInfo::contextLength)
                    .as("the window of " + id)
                    .containsExactly(OptionalInt.of(tokens)));
  }

  @Test
  void listingAppliesTheFilter() {
    requires(Capability.LIST_MODELS);
    serve(recordings().models());
    ModelFilter impossible =
        new ModelFilter(false, OptionalDouble.empty(), Set.of("contract-no-such-capability"));

    assertThat(provider().listModels(impossible)).isEmpty();
  }

  @Test
  void loadingAModelTheProviderDoesNotHaveIsModelNotFound() {
    requires(Capability.LIST_MODELS);
    serve(recordings().models());

    ProviderException.ModelNotFound e =
        catchThrowableOfType(
            ProviderException.ModelNotFound.class,
            () -> provider().load("contract-no-such-model", LoadOptions.DEFAULTS));

    assertThat(e).isNotNull();
    assertThat(e.modelId()).contains("contract-no-such-model");
  }

  // ---- chat ----

  @Test
  void chatReturnsTextFinishReasonUsageAndServedModel() {
    requires(Capability.CHAT);
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    serve(conversation.chat());

    ChatResponse response = model.chat(conversation.request(), CALL);

    assertThat(response.text()).isEqualTo(conversation.text());
    assertThat(response.finishReason()).isEqualTo(conversation.finishReason());
    assertThat(response.usage()).contains(conversation.usage());
    assertThat(response.model()).isEqualTo(conversation.servedModel());
  }

  @Test
  void chatSendsExactlyTheRecordedRequest() {
    requires(Capability.CHAT, Capability.RECORDED_REQUESTS);
    ReplayPeer server = replayPeer();
    Conversation conversation = conversation();
    Exchange chat = conversation.chat().orElseThrow();
    assumeTrue(chat.request().isPresent(), "skipped: " + chat.name() + " has no recorded request");
    ModelInstance model = loadedModel(provider());
    server.serve(chat);

    model.chat(conversation.request(), CALL);

    assertSameJson(lastRequestTo(chat), chat);
  }

  // ---- streaming ----

  @Test
  void streamYieldsOrderedChunksOneFinishAndTheTextOfTheWholeAnswer() {
    requires(Capability.STREAMING);
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    String wholeText = conversation.text();
    if (capabilities().contains(Capability.CHAT)) {
      serve(conversation.chat());
      wholeText = model.chat(conversation.request(), CALL).text();
    }
    serve(conversation.stream());

    List<ChatChunk> chunks = readAll(model.stream(conversation.request(), CALL));

    List<ChatChunk> finishes = chunks.stream().filter(c -> c.finishReason().isPresent()).toList();
    assertThat(finishes).as("chunks with a finish reason").hasSize(1);
    int finishAt = chunks.indexOf(finishes.getFirst());
    assertThat(chunks.subList(finishAt, chunks.size()))
        .as("no output after the finish")
        .noneMatch(ChatChunk::hasOutput);
    assertThat(finishes.getFirst().finishReason()).contains(conversation.finishReason());
    assertThat(text(chunks)).isEqualTo(wholeText).isEqualTo(conversation.text());
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(conversation.servedModel()));
  }

  @Test
  void streamReportsUsageWhereThePeerSendsIt() {
    requires(Capability.STREAMING, Capability.USAGE_IN_STREAM);
    Conversation conversation = conversation();
    Usage expected = conversation.streamUsage().orElseThrow();
    ModelInstance model = loadedModel(provider());
    serve(conversation.stream());

    List<ChatChunk> chunks = readAll(model.stream(conversation.request(), CALL));

    List<Usage> usages = chunks.stream().flatMap(c -> c.usage().stream()).toList();
    assertThat(usages).containsExactly(expected);
  }

  @Test
  void streamSendsExactlyTheRecordedRequest() {
    requires(Capability.STREAMING, Capability.RECORDED_REQUESTS);
    ReplayPeer server = replayPeer();
    Conversation conversation = conversation();
    Exchange stream = conversation.stream().orElseThrow();
    assumeTrue(
        stream.request().isPresent(), "skipped: " + stream.name() + " has no recorded request");
    ModelInstance model = loadedModel(provider());
    server.serve(stream);

    readAll(model.stream(conversation.request(), CALL));

    assertSameJson(lastRequestTo(stream), stream);
  }

  @Test
  void cancellingAStreamStopsReadingAndClosesTheConnection() {
    requires(Capability.STREAMING, Capability.CANCELLATION);
    ReplayPeer server = replayPeer();
    Conversation conversation = conversation();
    int mark = server.connectionMark();
    ModelInstance model = loadedModel(provider());
    Exchange recorded = conversation.stream().orElseThrow();
    // a body of 200 kB dripped over 20 s: the first chunk comes within its first piece, and a
    // client that hangs up then has made the peer send a few pieces at most
    int bodyLength = server.serveSlowlyPadded(recorded, 200_000, 400, Duration.ofSeconds(20));

    long sentBefore = bytesSentSince(mark);
    ChatStream stream = model.stream(conversation.request(), CALL);
    Optional<ChatChunk> first = stream.next();
    stream.close();

    assertThat(first).isPresent();
    assertThat(catchThrowableOfType(ProviderException.Cancelled.class, stream::next))
        .as("reading a closed stream")
        .isNotNull();
    assertThat(server.awaitConnectionsClosedSince(mark, RELEASE_WAIT))
        .as("the peer saw every connection closed: " + server.connectionsSince(mark))
        .isTrue();
    assertThat(bytesSentSince(mark) - sentBefore)
        .as(
            "bytes the peer sent for the stream (head included) before the client hung up,"
                + " of a body of "
                + bodyLength)
        .isLessThan(bodyLength / 2);
  }

  @Test
  void cancellingAStreamStopsTheGenerationAndFreesTheModel() {
    requires(Capability.STREAMING, Capability.CANCELLATION);
    Peer.InProcess inProcess = inProcessPeer();
    Conversation conversation = conversation();
    ModelProvider provider = provider();
    ModelInstance model = loadedModel(provider);

    ChatStream stream = inProcess.occupy().apply(model, CALL);
    Optional<ChatChunk> first = stream.next();
    stream.close();

    assertThat(first).isPresent();
    assertThat(catchThrowableOfType(ProviderException.Cancelled.class, stream::next))
        .as("reading a closed stream")
        .isNotNull();
    assertThat(
            ThreadLeaks.awaitEmpty(
                RELEASE_WAIT, () -> ThreadLeaks.threadsRunning(ownedPackages(provider))))
        .as("threads still running the provider's code after the stream was closed")
        .isEmpty();
    // left open, the stream would keep the model for CALL's timeout, longer than this call waits
    ChatResponse next = model.chat(conversation.request(), CallOptions.withTimeout(RELEASE_WAIT));
    assertThat(next.text()).isEqualTo(conversation.text());
  }

  private long bytesSentSince(int mark) {
    return replayPeer().connectionsSince(mark).stream()
        .mapToLong(PeerConnection::bytesToClient)
        .sum();
  }

  // ---- tools ----

  @Test
  void toolCallsArePassedThrough() {
    requires(Capability.TOOLS);
    ToolScenario tools = recordings().tools().orElseThrow();
    ModelInstance model = loadedModel(provider(), tools.modelId());
    serve(Optional.of(tools.chat()));

    ChatResponse response = model.chat(tools.request(), CALL);

    assertThat(response.message().toolCalls()).containsExactlyElementsOf(tools.toolCalls());
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    if (capabilities().contains(Capability.RECORDED_REQUESTS)
        && peer() instanceof Peer.Replay
        && tools.chat().request().isPresent()) {
      assertSameJson(lastRequestTo(tools.chat()), tools.chat());
    }
  }

  // ---- health ----

  @Test
  void healthIsTrueForALivePeer() {
    requires(Capability.HEALTH);
    serve(recordings().health());

    ProviderHealth health = provider().health();

    assertThat(health.healthy()).as(health.detail()).isTrue();
  }

  @Test
  void healthIsFalseWithinTheTimeoutForADeadPort() {
    requires(Capability.HEALTH);
    requiresPeer();
    try (RefusingPort dead = RefusingPort.open()) {
      ModelProvider provider =
          provider(new ProviderTarget(dead.uri(), Optional.empty(), SHORT_TIMEOUT));

      long start = System.nanoTime();
      ProviderHealth health = provider.health();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(health.healthy()).isFalse();
      assertThat(took).isLessThan(SHORT_TIMEOUT.plus(TIMEOUT_SLACK));
    }
  }

  @Test
  void healthIsFalseWithinTheTimeoutForAPeerThatNeverAnswers() {
    requires(Capability.HEALTH);
    replayPeer().stallConnections();
    ModelProvider provider = provider(target(Optional.empty(), SHORT_TIMEOUT));

    long start = System.nanoTime();
    ProviderHealth health = provider.health();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(health.healthy()).isFalse();
    assertThat(took)
        .isGreaterThanOrEqualTo(SHORT_TIMEOUT.minus(TIMER_ROUNDING))
        .isLessThan(SHORT_TIMEOUT.plus(TIMEOUT_SLACK));
  }

  // ---- errors ----

  @TestFactory
  Stream<DynamicTest> recordedErrorsMapToTheirProviderException() {
    requires(Capability.ERROR_MAPPING);
    requiresPeer();
    ContractRecordings recordings = recordings();
    assumeTrue(!recordings.errors().isEmpty(), "skipped: no error recordings");
    return recordings.errors().stream()
        .map(
            error ->
                DynamicTest.dynamicTest(
                    error.exchange().name() + " -> " + error.expected().getSimpleName(),
                    () -> checkError(error)));
  }

  private void checkError(ErrorCase error) {
    ReplayPeer server = replayPeer();
    server.reset();
    Conversation conversation = conversation();
    ModelProvider provider = provider(target(error.apiKey(), CALL.timeout()));
    ModelInstance model = loadedModel(provider);
    server.serve(error.exchange());

    Throwable thrown =
        catchThrowable(
            () -> {
              switch (error.operation()) {
                case CHAT -> model.chat(conversation.request(), CALL);
                case STREAM -> readAll(model.stream(conversation.request(), CALL));
              }
            });

    assertThat(thrown).as(error.exchange().name()).isInstanceOf(error.expected());
    ProviderException e = (ProviderException) thrown;
    assertThat(e.provider()).isEqualTo(provider.id());
    if (e instanceof ProviderException.RateLimited limited) {
      assertThat(limited.retryAfter()).isEqualTo(error.retryAfter());
    }
    error
        .apiKey()
        .ifPresent(
            key -> {
              assertThat(e.getMessage()).doesNotContain(key);
              assertThat(e.toString()).doesNotContain(key);
            });
    providers.remove(provider);
    provider.close();
  }

  @Test
  void aConnectionResetIsUnavailable() {
    requires(Capability.CHAT);
    ReplayPeer server = replayPeer();
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    server.resetConnections();

    assertThat(
            catchThrowableOfType(
                ProviderException.Unavailable.class,
                () -> model.chat(conversation.request(), CALL)))
        .isNotNull();
  }

  @Test
  void aDeadPortIsUnavailable() {
    requires(Capability.CHAT);
    requiresPeer();
    Conversation conversation = conversation();
    try (RefusingPort deadPort = RefusingPort.open()) {
      ModelProvider dead =
          provider(new ProviderTarget(deadPort.uri(), Optional.empty(), SHORT_TIMEOUT));

      Throwable thrown =
          catchThrowable(
              () ->
                  dead.load(recordings().modelId(), LoadOptions.DEFAULTS)
                      .chat(conversation.request(), CALL));

      assertThat(thrown).isInstanceOf(ProviderException.Unavailable.class);
    }
  }

  // ---- timeouts ----

  @Test
  void chatTimeoutIsHonoured() {
    requires(Capability.CHAT, Capability.TIMEOUTS);
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    stall(model);

    long start = System.nanoTime();
    Throwable thrown =
        catchThrowable(
            () -> model.chat(conversation.request(), CallOptions.withTimeout(SHORT_TIMEOUT)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(thrown).isInstanceOf(ProviderException.Timeout.class);
    assertThat(took)
        .isGreaterThanOrEqualTo(SHORT_TIMEOUT.minus(TIMER_ROUNDING))
        .isLessThan(SHORT_TIMEOUT.plus(TIMEOUT_SLACK));
  }

  @Test
  void streamTimeoutIsHonouredBetweenChunks() {
    requires(Capability.STREAMING, Capability.TIMEOUTS);
    ReplayPeer server = replayPeer();
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    Exchange recorded = conversation.stream().orElseThrow();
    server.serve(recorded);
    server.stallAfterBodyBytes(startOfLastEvents(recorded.response().body(), 2));

    ChatStream stream =
        model.stream(conversation.request(), CallOptions.withTimeout(SHORT_TIMEOUT));
    List<ChatChunk> received = new ArrayList<>();
    long[] lastAt = {System.nanoTime()};
    Throwable thrown =
        catchThrowable(
            () -> {
              for (Optional<ChatChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
                received.add(c.get());
                lastAt[0] = System.nanoTime();
              }
            });
    Duration afterLast = Duration.ofNanos(System.nanoTime() - lastAt[0]);
    stream.close();

    assertThat(received).as("chunks before the peer stalled").isNotEmpty();
    assertThat(thrown).isInstanceOf(ProviderException.Timeout.class);
    assertThat(afterLast).isLessThan(SHORT_TIMEOUT.plus(TIMEOUT_SLACK));
  }

  @Test
  void streamTimeoutIsHonouredBeforeTheFirstChunk() {
    requires(Capability.STREAMING, Capability.TIMEOUTS);
    Conversation conversation = conversation();
    ModelInstance model = loadedModel(provider());
    stall(model);

    long start = System.nanoTime();
    Throwable thrown =
        catchThrowable(
            () ->
                readAll(
                    model.stream(conversation.request(), CallOptions.withTimeout(SHORT_TIMEOUT))));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(thrown).isInstanceOf(ProviderException.Timeout.class);
    assertThat(took)
        .isGreaterThanOrEqualTo(SHORT_TIMEOUT.minus(TIMER_ROUNDING))
        .isLessThan(SHORT_TIMEOUT.plus(TIMEOUT_SLACK));
  }

  // ---- closing ----

  @Test
  void closeReleasesThreadsAndConnections() {
    Set<Thread> before = ThreadLeaks.platformThreads();
    ModelProvider provider = createProvider(target(Optional.empty(), CALL.timeout()));
    switch (peer()) {
      case Peer.Replay(ReplayPeer server) -> {
        int mark = server.connectionMark();
        long open = useConnections(server, provider);
        boolean network = capabilities().contains(Capability.NETWORK_PEER);
        if (network) {
          assertThat(server.connectionsSince(mark).stream().filter(c -> !c.closed()).count())
              .as("connections the provider holds before it is closed")
              .isGreaterThanOrEqualTo(open);
        }
        provider.close();
        if (network) {
          assertThat(server.awaitConnectionsClosedSince(mark, RELEASE_WAIT))
              .as("the peer saw every connection closed: " + server.connectionsSince(mark))
              .isTrue();
        }
      }
      case Peer.InProcess inProcess -> {
        if (capabilities().contains(Capability.CHAT)) {
          loadedModel(provider).chat(conversation().request(), CALL);
        }
        if (capabilities().contains(Capability.STREAMING)) {
          // a generation paused for a reader that never comes; closing the provider must end it
          ChatStream open = inProcess.occupy().apply(loadedModel(provider), CALL);
          assertThat(open.next()).isPresent();
        }
        provider.close();
      }
    }
    Predicate<Thread> runtimeThread =
        peer() instanceof Peer.InProcess inProcess ? inProcess.runtimeThread() : thread -> false;
    assertThat(
            ThreadLeaks.awaitEmpty(
                RELEASE_WAIT, () -> ThreadLeaks.newPlatformThreads(before, runtimeThread)))
        .as("platform threads still running")
        .isEmpty();
    assertThat(
            ThreadLeaks.awaitEmpty(
                RELEASE_WAIT, () -> ThreadLeaks.threadsRunning(ownedPackages(provider))))
        .as("threads still running the provider's code")
        .isEmpty();
  }

  /**
   * Has the provider hold connections to the peer before it is closed, and says how many it holds
   * at least.
   */
  private long useConnections(ReplayPeer server, ModelProvider provider) {
    ContractRecordings recordings = recordings();
    long open = 0;
    // the stream first: a call made before it would leave the pooled connection the stream reuses
    if (capabilities().contains(Capability.STREAMING)) {
      // a stream left open holds one connection; closing the provider must close it
      server.serveSlowly(conversation().stream().orElseThrow(), 40, Duration.ofSeconds(30));
      ChatStream stream = loadedModel(provider).stream(conversation().request(), CALL);
      assertThat(stream.next()).isPresent();
      open++;
    }
    if (capabilities().contains(Capability.CHAT)) {
      // a finished call leaves its connection idle in the pool
      server.serve(conversation().chat().orElseThrow());
      loadedModel(provider).chat(conversation().request(), CALL);
      open++;
    } else if (capabilities().contains(Capability.LIST_MODELS)) {
      server.serve(recordings.models().orElseThrow());
      provider.listModels(ModelFilter.ALL);
      open++;
    }
    return open;
  }

  // ---- the API's schema ----

  @Test
  void requestsSatisfyThePublishedSchema() {
    requires(Capability.REQUEST_SCHEMA);
    ReplayPeer server = replayPeer();
    ContractRecordings recordings = recordings();
    assumeTrue(
        recordings.requestSchema().isPresent(),
        "skipped: the API specification is absent (it lives in ../shared)");
    ModelInstance model = loadedModel(provider());
    if (capabilities().contains(Capability.CHAT)) {
      server.serve(conversation().chat().orElseThrow());
      model.chat(conversation().request(), CALL);
    }
    if (capabilities().contains(Capability.STREAMING)) {
      server.serve(conversation().stream().orElseThrow());
      readAll(model.stream(conversation().request(), CALL));
    }
    if (capabilities().contains(Capability.TOOLS)) {
      ToolScenario tools = recordings.tools().orElseThrow();
      ModelInstance toolModel = loadedModel(provider(), tools.modelId());
      server.serve(tools.chat());
      toolModel.chat(tools.request(), CALL);
    }

    assertThat(requestsTo(recordings.validatedPath())).as("requests validated").isNotEmpty();
    assertRequestsConform(recordings);
  }

  // ---- helpers ----

  /** Skips the case unless every capability is declared. */
  protected final void requires(Capability... needed) {
    for (Capability capability : needed) {
      assumeTrue(
          capabilities().contains(capability),
          "skipped: the provider does not declare " + capability);
    }
  }

  private static final String IN_PROCESS =
      "skipped: the provider runs its model in process; this case checks a peer's side";

  /** Skips the case unless the provider talks to a replay peer. */
  private void requiresPeer() {
    assumeTrue(peer() instanceof Peer.Replay, IN_PROCESS);
  }

  private ReplayPeer replayPeer() {
    requiresPeer();
    return ((Peer.Replay) peer()).server();
  }

  /** Skips the case unless the provider runs its model in process. */
  private Peer.InProcess inProcessPeer() {
    assumeTrue(
        peer() instanceof Peer.InProcess,
        "skipped: the provider talks to a peer; the peer's own case checks this");
    return (Peer.InProcess) peer();
  }

  /** Has the replay peer serve the exchange, which it then needs; in process nothing is served. */
  private void serve(Optional<Exchange> exchange) {
    if (peer() instanceof Peer.Replay(ReplayPeer server)) {
      server.serve(
          exchange.orElseThrow(
              () -> new IllegalStateException("the recordings need this exchange for a peer")));
    }
  }

  /**
   * Keeps calls to the model from being answered for the rest of the case: the peer stalls, or the
   * in-process model is kept busy by a stream that holds it (it has given its first chunk).
   */
  private void stall(ModelInstance model) {
    switch (peer()) {
      case Peer.Replay(ReplayPeer server) -> server.stallConnections();
      case Peer.InProcess inProcess -> {
        ChatStream busy = inProcess.occupy().apply(model, CALL);
        occupying.add(busy);
        assertThat(busy.next())
            .as("the first chunk of the stream that keeps the model")
            .isPresent();
      }
    }
  }

  private ProviderTarget target(Optional<String> apiKey, Duration healthTimeout) {
    URI root = peer() instanceof Peer.Replay(ReplayPeer server) ? server.root() : NO_PEER;
    return new ProviderTarget(root, apiKey, healthTimeout);
  }

  private ModelProvider provider() {
    return provider(target(Optional.empty(), CALL.timeout()));
  }

  private ModelProvider provider(ProviderTarget target) {
    ModelProvider provider = createProvider(target);
    providers.add(provider);
    return provider;
  }

  private Conversation conversation() {
    return recordings()
        .conversation()
        .orElseThrow(
            () -> new IllegalStateException("the recordings need a conversation for this case"));
  }

  /** Loads the recorded model, serving the model listing first where the provider lists. */
  private ModelInstance loadedModel(ModelProvider provider) {
    return loadedModel(provider, recordings().modelId());
  }

  private ModelInstance loadedModel(ModelProvider provider, String modelId) {
    if (peer() instanceof Peer.Replay(ReplayPeer server)) {
      recordings().models().ifPresent(server::serve);
    }
    return provider.load(modelId, LoadOptions.DEFAULTS);
  }

  private static List<ChatChunk> readAll(ChatStream stream) {
    try (stream) {
      List<ChatChunk> chunks = new ArrayList<>();
      for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        chunks.add(chunk.get());
      }
      return chunks;
    }
  }

  private static String text(List<ChatChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.contentDelta()));
    return text.toString();
  }

  private List<RecordedRequest> requestsTo(String path) {
    return replayPeer().requests().stream().filter(r -> pathOf(r).equals(path)).toList();
  }

  private RecordedRequest lastRequestTo(Exchange exchange) {
    List<RecordedRequest> requests = requestsTo(exchange.path());
    if (requests.isEmpty()) {
      fail("the peer received no request at " + exchange.path());
    }
    return requests.getLast();
  }

  private static String pathOf(RecordedRequest request) {
    int query = request.path().indexOf('?');
    return query < 0 ? request.path() : request.path().substring(0, query);
  }

  private void assertRequestsConform(ContractRecordings recordings) {
    for (RecordedRequest request : requestsTo(recordings.validatedPath())) {
      assertThat(recordings.requestSchema().orElseThrow().violations(request.bodyText()))
          .as(
              "violations of "
                  + recordings.requestSchema().orElseThrow().schemaName()
                  + " in "
                  + request.bodyText())
          .isEmpty();
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Equal as JSON values, numbers compared by value (0 equals 0.0), key order ignored. */
  private static void assertSameJson(RecordedRequest sent, Exchange recorded) {
    JsonNode actual = JSON.readTree(sent.bodyText());
    JsonNode expected = JSON.readTree(recorded.request().orElseThrow().bodyText());
    Comparator<JsonNode> numbersByValue =
        (a, b) -> {
          if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
          }
          return a.equals(b) ? 0 : 1;
        };
    assertThat(actual.equals(numbersByValue, expected))
        .as("sent %s%nrecorded %s", actual, expected)
        .isTrue();
  }

  /**
   * Where the last {@code count} events of a streamed body start: events end with a blank line
   * (server-sent events) or, in a body that has none, with a line end (newline-delimited JSON).
   * Stalling there lets the content through and holds back the end of the stream.
   */
  private static long startOfLastEvents(byte[] body, int count) {
    String text = new String(body, StandardCharsets.ISO_8859_1).stripTrailing();
    String separator = text.contains("\n\n") ? "\n\n" : "\n";
    int at = text.length();
    for (int i = 0; i < count; i++) {
      at = text.lastIndexOf(separator, at - 1);
      if (at < 0) {
        return 0;
      }
    }
    return at + separator.length();
  }
}
