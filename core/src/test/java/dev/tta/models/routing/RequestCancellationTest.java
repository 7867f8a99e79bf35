package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A caller that stops its request through {@link RouteRequest#cancellation()}. The cancel that
 * comes "from another thread" while a model is called is an alarm on the manual clock, which fires
 * inside the scripted call that advances the clock past it.
 */
class RequestCancellationTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);

  private final RouterFixture f = new RouterFixture();
  private final Cancellation cancellation = new Cancellation();

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private RouteRequest chain(ModelKey... models) {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(models)))
        .withCancellation(cancellation);
  }

  @Test
  void aRequestCancelledBeforeItStarts_callsNoModel() {
    cancellation.cancel("the client left");

    assertThatThrownBy(() -> f.router.chat(chain(BEST, SMALL)))
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cancelled: the client left; last error: the request was cancelled: the"
                          + " client left");
              assertThat(e.lastError()).isInstanceOf(ProviderException.Cancelled.class);
            });
    assertThat(f.cloud.model("best").calls()).isZero();
    assertThat(f.events(RoutingEvent.Failed.class))
        .extracting(RoutingEvent.Failed::reason)
        .containsExactly("cancelled: the client left");
  }

  @Test
  void aFailureThatTheCancelCaused_isRecordedAsTheCancellation_notAgainstTheModel() {
    f.cloud.model("best").thenFail(ErrorClass.UNAVAILABLE, ms(100));
    f.clock.set(ms(50), () -> cancellation.cancel("the client left"));

    assertThatThrownBy(() -> f.router.chat(chain(BEST, SMALL)))
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> {
              assertThat(e.lastError())
                  .isInstanceOf(ProviderException.Cancelled.class)
                  .hasMessage("the request was cancelled: the client left");
              assertThat(e.trace().attempts())
                  .extracting(Attempt::model, Attempt::error)
                  .containsExactly(tuple(BEST, Optional.of(ErrorClass.CANCELLED)));
            });
    // the cancel interrupted this thread to end the call; the interrupt is not left behind
    assertThat(Thread.interrupted()).isFalse();
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE)).isEmpty();
    assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
    assertThat(f.small().calls()).isZero();
  }

  @Test
  void aModelThatReportsTheCancellationItself_keepsItsOwnWords() {
    f.cloud.model("best").thenFail(ErrorClass.CANCELLED, ms(100));
    f.clock.set(ms(50), () -> cancellation.cancel("the client left"));

    assertThatThrownBy(() -> f.router.chat(chain(BEST, SMALL)))
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> assertThat(e.lastError()).hasMessage("cancelled (scripted)"));
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void aCancelAfterTheStreamOpened_closesIt_andLeavesTheThreadThatOpenedItAlone() {
    f.small().thenStream(List.of("a", "b"), ms(10), ms(10), 2);
    RoutedStream stream = f.router.stream(chain(SMALL));
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("a");

    cancellation.cancel("the client left");

    // opening the stream is over: its thread is not interrupted by a later cancel
    assertThat(Thread.interrupted()).isFalse();
    assertThat(f.small().lastStreamClosed()).isTrue();
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(RoutingEvent.AttemptFailed::model, RoutingEvent.AttemptFailed::error)
        .containsExactly(tuple(SMALL, ErrorClass.CANCELLED));
  }
}
