package dev.tta.models.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptTimeoutsTest {

  private static Optional<Duration> seconds(long s) {
    return Optional.of(Duration.ofSeconds(s));
  }

  @Test
  void over_takesEachEmptyFieldFromTheBase() {
    AttemptTimeouts route = new AttemptTimeouts(seconds(2), Optional.empty(), Optional.empty());
    AttemptTimeouts provider = new AttemptTimeouts(seconds(10), seconds(7), Optional.empty());

    assertThat(route.over(provider))
        .isEqualTo(new AttemptTimeouts(seconds(2), seconds(7), Optional.empty()));
    assertThat(AttemptTimeouts.INHERIT.over(AttemptTimeouts.REMOTE_DEFAULTS))
        .isEqualTo(AttemptTimeouts.REMOTE_DEFAULTS);
  }

  @Test
  void defaults_remoteAndLocal() {
    assertThat(AttemptTimeouts.defaults(false))
        .isEqualTo(
            AttemptTimeouts.of(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60)));
    assertThat(AttemptTimeouts.defaults(true))
        .isEqualTo(
            AttemptTimeouts.of(
                Duration.ofSeconds(60), Duration.ofSeconds(30), AttemptTimeouts.NO_LIMIT));
  }

  @Test
  void within_theShorterOfTheLimitAndTheTimeLeft_atLeastAMillisecond() {
    Duration left = Duration.ofSeconds(5);

    assertThat(AttemptTimeouts.within(seconds(3), left)).isEqualTo(Duration.ofSeconds(3));
    assertThat(AttemptTimeouts.within(seconds(9), left)).isEqualTo(left);
    assertThat(AttemptTimeouts.within(Optional.empty(), left)).isEqualTo(left);
    assertThat(AttemptTimeouts.within(Optional.of(AttemptTimeouts.NO_LIMIT), left)).isEqualTo(left);
    assertThat(AttemptTimeouts.within(seconds(3), Duration.ZERO)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aLimitMustBePositive_namingItsField() {
    assertThatThrownBy(
            () ->
                new AttemptTimeouts(Optional.empty(), Optional.of(Duration.ZERO), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stall: must be positive (or no limit), was PT0S");
    assertThatThrownBy(() -> new AttemptTimeouts(seconds(-1), Optional.empty(), Optional.empty()))
        .hasMessage("first_token: must be positive (or no limit), was PT-1S");
    assertThatThrownBy(
            () ->
                new AttemptTimeouts(Optional.empty(), Optional.empty(), Optional.of(Duration.ZERO)))
        .hasMessage("response: must be positive (or no limit), was PT0S");
  }
}
