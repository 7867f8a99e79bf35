package dev.tta.models.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.Fault.AfterMalformed;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.FaultMix;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.faults.Message;
import dev.tta.models.testkit.faults.ReceivedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Ten thousand requests, half of them streamed, from sixteen clients at a time, through a route
 * over three upstreams that serve the same model with the same deterministic text: the first
 * misbehaves on half of its requests with every fault an upstream can have (a seeded {@link
 * FaultMix}), the other two are healthy (one of them refuses prefixes, so that continuing on it
 * means restarting and splicing). Every request must come back, within a bound, whole (the exact
 * text, and for a stream one finish reason and {@code [DONE]}) or as a clean error, in at most
 * {@code max_attempts} calls; at least 99.99 % must be whole.
 */
class ChaosRunTest extends GatewayFaults {

  static final int REQUESTS = 10_000;
  static final int CLIENTS = 16;
  static final int MAX_ATTEMPTS = 5;
  static final long SEED = 20_261_205L;

  /** Longer than any request may take: the deadline (5 s) and the client's slack. */
  static final Duration HUNG = Duration.ofSeconds(8);

  /**
   * Half of the requests, spread over every fault that an upstream commits before or after text.
   */
  static FaultMix mix() {
    List<Fault> faults =
        List.of(
            Fault.rateLimited(),
            Fault.rateLimited(Duration.ofSeconds(1)),
            Fault.serverError(),
            Fault.overloaded(),
            Fault.resetBeforeHead(),
            Fault.noResponse(),
            Fault.slowFirstToken(Duration.ofSeconds(2)),
            Fault.streamCutAfter(3, Cut.FIN),
            Fault.streamCutAfter(5, Cut.RESET),
            Fault.bodyCutHalfway(Cut.RESET),
            Fault.streamStallAfter(4),
            Fault.malformedChunkAfter(2, AfterMalformed.CONTINUE),
            Fault.malformedChunkAfter(6, AfterMalformed.CLOSE),
            Fault.errorInStreamAfter(4),
            Fault.missingDone(),
            Fault.noFinishReason(),
            Fault.contextLengthExceeded(4096, 5000));
    FaultMix mix = FaultMix.seeded(SEED);
    for (Fault fault : faults) {
      mix = mix.with(0.5 / faults.size(), fault);
    }
    return mix;
  }

  /** What one request came back as. */
  enum Outcome {
    COMPLETE,
    CLEAN_ERROR,
    LOST
  }

  record Result(Outcome outcome, int attempts, int continuations, Duration took, String detail) {}

  static List<Message> conversation(int number) {
    return List.of(Message.user("Question " + number + ": what does the sea sound like?"));
  }

  static Result judge(Gateway.Reply reply, String expected) {
    if (reply.status() != 200) {
      boolean clean =
          reply.header("Content-Type").orElse("").startsWith("application/json")
              && reply.json().at("/error/message").isString();
      int attempts = attemptsHeader(reply);
      return new Result(
          clean ? Outcome.CLEAN_ERROR : Outcome.LOST, attempts, 0, reply.took(), reply.body());
    }
    if (!reply.streamed()) {
      return new Result(
          reply.complete(expected) ? Outcome.COMPLETE : Outcome.LOST,
          attemptsHeader(reply),
          0,
          reply.took(),
          reply.body());
    }
    List<JsonNode> chunks = reply.chunks();
    JsonNode last = chunks.getLast();
    JsonNode routing = last.path("mm_routing");
    int attempts = routing.path("attempts").asInt(-1);
    int continuations = routing.path("continuations").asInt(0);
    if (reply.complete(expected)) {
      return new Result(Outcome.COMPLETE, attempts, continuations, reply.took(), "");
    }
    // a stream that broke past repair: ends with an error event, never with a finish or [DONE]
    boolean clean =
        last.has("error")
            && !reply.endsWithDone()
            && reply.finishReasons().isEmpty()
            && expected.startsWith(reply.streamedText());
    return new Result(
        clean ? Outcome.CLEAN_ERROR : Outcome.LOST,
        attempts,
        continuations,
        reply.took(),
        reply.body());
  }

  static int attemptsHeader(Gateway.Reply reply) {
    return reply.header("X-MM-Attempts").map(Integer::parseInt).orElse(0);
  }

  @Test
  void tenThousandRequests_throughAMisbehavingUpstreamAndTwoHealthyOnes() throws Exception {
    FaultyUpstream flaky = upstream();
    FaultyUpstream steady = upstream();
    FaultyUpstream restarting = upstream(FaultyUpstream.config().modelIds("m").refusePrefixes());
    flaky.mix(mix());
    Gateway gateway =
        gateway(
            new GatewayYaml()
                .timeouts("{connect: 1s, first_token: 300ms, stall: 300ms, response: 1s}")
                .provider("flaky", flaky, "{id: m, context_length: 4096}")
                .provider("steady", steady, "{id: m}")
                .provider("restarting", restarting, "{id: m}")
                .route("chaos", "{models: [flaky/m, steady/m, restarting/m]}")
                .fallback("max_attempts", Integer.toString(MAX_ATTEMPTS))
                .fallback("max_retries_per_model", "1")
                .fallback("max_retry_after", "1ms")
                // the flaky upstream stays in the rotation, so that its faults keep coming
                .fallback("max_failures", "1000")
                .fallback("exclusion_window", "1s")
                .circuitBreaker("failure_rate_threshold", "100")
                .circuitBreaker("sliding_window_size", "20")
                .circuitBreaker("minimum_calls", "20"));

    List<Result> results = Collections.synchronizedList(new ArrayList<>(REQUESTS));
    Map<Integer, Throwable> thrown = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(CLIENTS);
    long start = System.nanoTime();
    for (int client = 0; client < CLIENTS; client++) {
      Thread.ofVirtual()
          .name("chaos-client-" + client)
          .start(
              () -> {
                try {
                  for (int n = next.getAndIncrement(); n < REQUESTS; n = next.getAndIncrement()) {
                    List<Message> conversation = conversation(n);
                    try {
                      Gateway.Reply reply =
                          gateway.chat(Gateway.body("chaos", n % 2 == 0, conversation));
                      results.add(judge(reply, steady.answerTo(conversation)));
                    } catch (RuntimeException e) {
                      thrown.put(n, e);
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
    }
    assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
    Duration total = Duration.ofNanos(System.nanoTime() - start);

    int complete = 0;
    int cleanErrors = 0;
    List<Result> lost = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    int continuations = 0;
    Duration slowest = Duration.ZERO;
    for (Result result : results) {
      switch (result.outcome()) {
        case COMPLETE -> complete++;
        case CLEAN_ERROR -> cleanErrors++;
        case LOST -> lost.add(result);
      }
      attempts.add(result.attempts());
      continuations += result.continuations();
      slowest = result.took().compareTo(slowest) > 0 ? result.took() : slowest;
    }
    Collections.sort(attempts);
    long faults =
        flaky.chatRequests().stream()
            .map(ReceivedRequest::fault)
            .flatMap(Optional::stream)
            .filter(f -> !(f instanceof Fault.Answer a && a.equals(Fault.answer())))
            .count();
    System.out.printf(
        "chaos run: %d requests (%d streamed), %d complete, %d clean errors, %d lost;"
            + " attempts median %d, max %d; %d continuations; %d faults injected in %d calls to"
            + " the flaky upstream; slowest request %d ms; total %.1f s%n",
        REQUESTS,
        REQUESTS / 2,
        complete,
        cleanErrors,
        lost.size() + thrown.size(),
        attempts.get(attempts.size() / 2),
        attempts.getLast(),
        continuations,
        faults,
        flaky.chatRequests().size(),
        slowest.toMillis(),
        total.toNanos() / 1e9);

    assertThat(thrown).as("requests that got no answer at all").isEmpty();
    assertThat(lost).as("answers that were neither whole nor a clean error").isEmpty();
    assertThat(results).hasSize(REQUESTS);
    assertThat(slowest).isLessThan(HUNG);
    // 99.99 %
    assertThat(complete).isGreaterThanOrEqualTo(REQUESTS - REQUESTS / 10_000);
    assertThat(attempts.getFirst()).isGreaterThanOrEqualTo(1);
    assertThat(attempts.getLast()).isLessThanOrEqualTo(MAX_ATTEMPTS);
  }
}
