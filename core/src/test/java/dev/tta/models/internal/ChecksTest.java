package dev.tta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecksTest {

  @Test
  void notNull_returnsTheValueOrNamesTheField() {
    assertThat(Checks.notNull("x", "f")).isEqualTo("x");
    assertThatThrownBy(() -> Checks.notNull(null, "timeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: is required");
  }

  @Test
  void notBlank_refusesNullEmptyAndWhitespace() {
    assertThat(Checks.notBlank(" a ", "f")).isEqualTo(" a ");
    for (String blank : Arrays.asList(null, "", " ", "\t\n")) {
      assertThatThrownBy(() -> Checks.notBlank(blank, "id"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("id: must not be blank");
    }
  }

  @Test
  void positiveInt_oneAcceptedZeroRefused() {
    assertThat(Checks.positive(1, "n")).isEqualTo(1);
    assertThatThrownBy(() -> Checks.positive(0, "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n: must be greater than 0, was 0");
    assertThatThrownBy(() -> Checks.positive(Integer.MIN_VALUE, "n"))
        .hasMessage("n: must be greater than 0, was -2147483648");
  }

  @Test
  void positiveLong_oneAcceptedZeroRefused() {
    assertThat(Checks.positive(1L, "n")).isEqualTo(1L);
    assertThat(Checks.positive(5_000_000_000L, "n")).isEqualTo(5_000_000_000L);
    assertThatThrownBy(() -> Checks.positive(0L, "bytes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes: must be greater than 0, was 0");
    assertThatThrownBy(() -> Checks.positive(-5_000_000_000L, "bytes"))
        .hasMessage("bytes: must be greater than 0, was -5000000000");
  }

  @Test
  void notNegativeInt_zeroAcceptedMinusOneRefused() {
    assertThat(Checks.notNegative(0, "n")).isZero();
    assertThat(Checks.notNegative(7, "n")).isEqualTo(7);
    assertThatThrownBy(() -> Checks.notNegative(-1, "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n: must not be negative, was -1");
  }

  @Test
  void notNegativeDouble_zeroAcceptedNegativeAndNonFiniteRefused() {
    assertThat(Checks.notNegative(0.0, "c")).isEqualTo(0.0);
    assertThat(Checks.notNegative(Double.MIN_VALUE, "c")).isEqualTo(Double.MIN_VALUE);
    assertThatThrownBy(() -> Checks.notNegative(-Double.MIN_VALUE, "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("c: must be a finite number of at least 0, was -4.9E-324");
    assertThatThrownBy(() -> Checks.notNegative(Double.NaN, "c"))
        .hasMessage("c: must be a finite number of at least 0, was NaN");
    assertThatThrownBy(() -> Checks.notNegative(Double.POSITIVE_INFINITY, "c"))
        .hasMessage("c: must be a finite number of at least 0, was Infinity");
  }

  @Test
  void inRange_boundsIncluded() {
    assertThat(Checks.inRange(0.0, 0.0, 10.0, "s")).isEqualTo(0.0);
    assertThat(Checks.inRange(10.0, 0.0, 10.0, "s")).isEqualTo(10.0);
    assertThatThrownBy(() -> Checks.inRange(-0.1, 0.0, 10.0, "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s: must be between 0.0 and 10.0, was -0.1");
    assertThatThrownBy(() -> Checks.inRange(10.1, 0.0, 10.0, "s"))
        .hasMessage("s: must be between 0.0 and 10.0, was 10.1");
    assertThatThrownBy(() -> Checks.inRange(Double.NaN, 0.0, 10.0, "s"))
        .hasMessage("s: must be between 0.0 and 10.0, was NaN");
    assertThatThrownBy(() -> Checks.inRange(Double.NEGATIVE_INFINITY, 0.0, 10.0, "s"))
        .hasMessage("s: must be between 0.0 and 10.0, was -Infinity");
  }

  @Test
  void inRangeOptional_emptyPassesPresentIsChecked() {
    assertThat(Checks.inRange(OptionalDouble.empty(), 0, 1, "p")).isEmpty();
    assertThat(Checks.inRange(OptionalDouble.of(1.0), 0, 1, "p")).hasValue(1.0);
    assertThatThrownBy(() -> Checks.inRange(OptionalDouble.of(1.5), 0, 1, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p: must be between 0.0 and 1.0, was 1.5");
    assertThatThrownBy(() -> Checks.inRange((OptionalDouble) null, 0, 1, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p: is required");
  }

  @Test
  void listOf_immutableCopyNamingTheIndexOfANull() {
    List<String> source = new ArrayList<>(List.of("a", "b"));
    List<String> copy = Checks.listOf(source, "stop");
    source.add("c");

    assertThat(copy).containsExactly("a", "b");
    assertThatThrownBy(() -> copy.add("d")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Checks.listOf(Arrays.asList("a", "b", null), "stop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stop[2]: must not be null");
    assertThatThrownBy(() -> Checks.listOf(Arrays.asList((String) null), "stop"))
        .hasMessage("stop[0]: must not be null");
    assertThatThrownBy(() -> Checks.listOf(null, "stop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stop: is required");
    assertThat(Checks.listOf(List.of(), "stop")).isEmpty();
  }

  @Test
  void labels_trimmedLowerCasedDeduplicatedSortedImmutable() {
    Set<String> labels = Checks.labels(List.of("Tools", " chat ", "CHAT", "dialogue"), "caps");

    assertThat(labels).containsExactly("chat", "dialogue", "tools");
    assertThatThrownBy(() -> labels.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void labels_blankOrNullEntryRefused() {
    assertThatThrownBy(() -> Checks.labels(List.of("chat", "  "), "caps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caps: must not contain a blank entry");
    assertThatThrownBy(() -> Checks.labels(Arrays.asList("chat", null), "caps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caps: must not contain a blank entry");
    assertThatThrownBy(() -> Checks.labels(null, "caps"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("caps: is required");
  }

  @Test
  void require_namesFieldAndRule() {
    Checks.require(true, "f", "never shown");
    assertThatThrownBy(() -> Checks.require(false, "top_p", "must be at most 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top_p: must be at most 1");
  }
}
