package dev.tta.models.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationTest {

  @Test
  void cancel_runsEveryRegisteredActionOnce_andKeepsTheFirstReason() {
    Cancellation cancellation = new Cancellation();
    List<String> ran = new ArrayList<>();
    cancellation.onCancel(() -> ran.add("a"));
    cancellation.onCancel(() -> ran.add("b"));

    cancellation.cancel("the client left");
    cancellation.cancel("again");

    assertThat(ran).containsExactly("a", "b");
    assertThat(cancellation.isCancelled()).isTrue();
    assertThat(cancellation.reason()).contains("the client left");
  }

  @Test
  void onCancel_afterTheCancel_runsAtOnce() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel("gone");
    List<String> ran = new ArrayList<>();

    cancellation.onCancel(() -> ran.add("late"));

    assertThat(ran).containsExactly("late");
  }

  @Test
  void aClosedRegistration_doesNotRun() {
    Cancellation cancellation = new Cancellation();
    List<String> ran = new ArrayList<>();
    Cancellation.Registration registration = cancellation.onCancel(() -> ran.add("x"));

    registration.close();
    cancellation.cancel("gone");

    assertThat(ran).isEmpty();
    assertThat(new Cancellation().reason()).isEmpty();
  }

  @Test
  void never_cannotBeCancelled_andRunsNothing() {
    List<String> ran = new ArrayList<>();
    Cancellation.never().onCancel(() -> ran.add("x")).close();

    assertThatThrownBy(() -> Cancellation.never().cancel("why"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(Cancellation.never().isCancelled()).isFalse();
    assertThat(ran).isEmpty();
    assertThatThrownBy(() -> new Cancellation().cancel(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
