package dev.tta.models.testkit.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A random mix of faults for a chaos run: each chat request that finds the queue empty draws one,
 * with the given probabilities, from a {@link SplittableRandom} seeded with {@code seed}; what is
 * left of the probability goes to the upstream's default. The same seed gives the same sequence of
 * faults, so a failing run can be repeated.
 *
 * @param seed the random sequence's seed
 * @param shares each fault with its probability; together at most 1
 */
public record FaultMix(long seed, List<Share> shares) {

  /** A fault and the probability that a request draws it. */
  public record Share(double probability, Fault fault) {

    public Share {
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "probability: must be above 0 and at most 1, was " + probability);
      }
      Objects.requireNonNull(fault, "fault");
    }
  }

  public FaultMix {
    shares = List.copyOf(shares);
    double total = shares.stream().mapToDouble(Share::probability).sum();
    if (total > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "shares: probabilities must add up to at most 1, were " + total);
    }
  }

  /** A mix with no faults yet: every request gets the default until {@link #with} adds some. */
  public static FaultMix seeded(long seed) {
    return new FaultMix(seed, List.of());
  }

  /** This mix, plus {@code fault} drawn with {@code probability}. */
  public FaultMix with(double probability, Fault fault) {
    List<Share> more = new ArrayList<>(shares);
    more.add(new Share(probability, fault));
    return new FaultMix(seed, more);
  }

  /**
   * One draw: the share whose slice of [0, 1) the next random number falls in, else the default.
   */
  Fault draw(SplittableRandom random, Fault otherwise) {
    double point = random.nextDouble();
    double upTo = 0;
    for (Share share : shares) {
      upTo += share.probability();
      if (point < upTo) {
        return share.fault();
      }
    }
    return otherwise;
  }
}
