package dev.tta.models.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyChecksTest {

  @Test
  void qt_twoRuns_checkTheSameExamples() {
    List<Long> first = new ArrayList<>();
    List<Long> second = new ArrayList<>();

    PropertyChecks.qt(50).forAll(longs().all()).checkAssert(first::add);
    PropertyChecks.qt(50).forAll(longs().all()).checkAssert(second::add);

    assertThat(first).hasSizeGreaterThan(3).isEqualTo(second);
  }
}
