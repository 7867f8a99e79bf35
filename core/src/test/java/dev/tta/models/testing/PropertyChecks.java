package dev.tta.models.testing;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Configuration;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Where every property of core's tests starts: QuickTheories with a fixed seed, so that each run
 * checks the same examples. A property that passes on one run and fails on the next is a defect,
 * and mutation testing runs the properties many times. Also the one generator the properties share
 * that QuickTheories lacks: subsets.
 *
 * <p>QuickTheories' own system properties override both defaults, for exploration:
 *
 * <ul>
 *   <li>{@code -DQT_SEED=n} runs with seed {@code n} instead of {@link #FIXED_SEED}; {@code
 *       -DQT_SEED=$RANDOM$RANDOM} explores other examples. A failure prints "Seed was n" after the
 *       shrunk falsifying value, and {@code -DQT_SEED=n} replays it.
 *   <li>{@code -DQT_EXAMPLES=n} runs {@code n} examples per property instead of each property's own
 *       number.
 * </ul>
 *
 * <p>Maven passes both on to the tests, e.g. {@code ./mvnw -pl core test
 * -Dtest=FallbackPolicyProperties -DQT_SEED=42 -DQT_EXAMPLES=20000}.
 */
public final class PropertyChecks {

  /** Any seed but 0, which QuickTheories' generator turns into 1. */
  private static final long FIXED_SEED = 8_682_522_807_148_012L;

  private PropertyChecks() {}

  /** A theory of {@code examples} examples from {@link #FIXED_SEED}, unless overridden (above). */
  public static QuickTheory qt(int examples) {
    QuickTheory theory = QuickTheory.qt();
    if (System.getProperty(Configuration.SEED) == null) {
      theory = theory.withFixedSeed(FIXED_SEED);
    }
    if (System.getProperty(Configuration.EXAMPLES) == null) {
      theory = theory.withExamples(examples);
    }
    return theory;
  }

  /** Up to {@code maxSize} of the values, each at most once, in the order first drawn. */
  public static <T> Gen<Set<T>> subsetsOf(List<T> values, int maxSize) {
    return lists()
        .of(Generate.pick(values))
        .ofSizeBetween(0, maxSize)
        .map(chosen -> new LinkedHashSet<>(chosen));
  }
}
