package dev.tta.models.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.state.StateChange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What replicas send each other, written out by hand. */
class StateMessageTest {

  private static final Instant SENT = Instant.ofEpochMilli(1_000);
  private static final Instant AT = Instant.ofEpochMilli(2_000);
  private static final ModelKey BEST = ModelKey.of("cloud", "best");

  private static StateMessage message(StateMessage.Body body) {
    return new StateMessage("r1", SENT, body);
  }

  private static StateMessage change(StateChange change) {
    return message(new StateMessage.Change(change));
  }

  @Test
  void everyKindOfMessage_isSpaceSeparatedUrlEncodedFields() {
    // '/' is %2F, ':' %3A, a space '+', '%' %25, 'ü' %C3%BC
    assertThat(change(new StateChange.CircuitOpened(BEST, AT)).encode())
        .isEqualTo("r1 1000 circuit cloud%2Fbest 2000");
    assertThat(change(new StateChange.FailureRecorded(BEST, ErrorClass.RATE_LIMITED, AT)).encode())
        .isEqualTo("r1 1000 failure cloud%2Fbest rate_limited 2000");
    assertThat(change(new StateChange.SuccessRecorded(BEST, AT)).encode())
        .isEqualTo("r1 1000 success cloud%2Fbest 2000");
    assertThat(
            change(new StateChange.ProviderOut(ProviderId.of("cloud"), "refused: 401 % ü", AT))
                .encode())
        .isEqualTo("r1 1000 out cloud refused%3A+401+%25+%C3%BC 2000");
    assertThat(change(new StateChange.ModelReset(BEST)).encode())
        .isEqualTo("r1 1000 reset-model cloud%2Fbest");
    assertThat(change(new StateChange.ProviderReset(ProviderId.of("cloud"))).encode())
        .isEqualTo("r1 1000 reset-provider cloud");
    assertThat(message(new StateMessage.Spend("spend:team-a:day", 1.5, AT)).encode())
        .isEqualTo("r1 1000 spend spend%3Ateam-a%3Aday 1.5 2000");
    assertThat(message(new StateMessage.SyncRequest()).encode()).isEqualTo("r1 1000 sync");
  }

  @Test
  void everyKindOfMessage_readsBackEqual() {
    List<StateMessage> messages =
        List.of(
            change(new StateChange.CircuitOpened(ModelKey.of("openrouter", "meta/llama:free"), AT)),
            change(new StateChange.FailureRecorded(BEST, ErrorClass.TIMEOUT, AT)),
            change(new StateChange.SuccessRecorded(BEST, AT)),
            change(new StateChange.ProviderOut(ProviderId.of("cloud"), "a b+c %20 ü", AT)),
            change(new StateChange.ModelReset(BEST)),
            change(new StateChange.ProviderReset(ProviderId.of("cloud"))),
            message(new StateMessage.Spend("spend:team a:total", 0.1 + 0.2, AT)),
            new StateMessage("replica with spaces", SENT, new StateMessage.SyncRequest()));

    for (StateMessage message : messages) {
      assertThat(StateMessage.decode(message.encode())).isEqualTo(message);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "r1 1000|a state message has at least 3 fields, had 2",
        "r1 1000 gossip x|unknown state message type 'gossip'",
        "r1 1000 circuit cloud%2Fbest|a 'circuit' message has 5 fields, had 4",
        "r1 1000 failure cloud%2Fbest timeout|a 'failure' message has 6 fields, had 5",
        "r1 1000 success cloud%2Fbest 1 2|a 'success' message has 5 fields, had 6",
        "r1 1000 out cloud why|a 'out' message has 6 fields, had 5",
        "r1 1000 reset-model|a 'reset-model' message has 4 fields, had 3",
        "r1 1000 reset-provider|a 'reset-provider' message has 4 fields, had 3",
        "r1 1000 spend c 1.5|a 'spend' message has 6 fields, had 5",
        "r1 1000 sync extra|a 'sync' message has 3 fields, had 4",
      })
  void aMessageThisVersionDoesNotRead_isRefused_sayingWhy(String text, String why) {
    assertThatThrownBy(() -> StateMessage.decode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(why);
  }

  @Test
  void aNumberThatIsNone_isRefused() {
    assertThatThrownBy(() -> StateMessage.decode("r1 soon sync"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StateMessage.decode("r1 1000 failure cloud%2Fbest slow 2000"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
