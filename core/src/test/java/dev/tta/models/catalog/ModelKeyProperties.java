package dev.tta.models.catalog;

import static dev.tta.models.testing.PropertyChecks.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ModelKeyProperties {

  private static final String LOWER_CASE = "abcdefghijklmnopqrstuvwxyz";

  /** A lower-case letter or digit, then up to 8 of lower-case letters, '_', '.', '-' and '7'. */
  private static final Gen<String> PROVIDER_IDS =
      strings(LOWER_CASE + "0123456789", 1, 1)
          .zip(strings(LOWER_CASE + "_.-7", 0, 8), String::concat);

  /** 1 to 20 of lower-case letters, '/', ':', '.', '-', 'Q' and '8'. */
  private static final Gen<String> MODEL_IDS = strings(LOWER_CASE + "/:.-Q8", 1, 20);

  @Test
  void parse_ofToStringGivesTheSameKey() {
    qt(200)
        .forAll(PROVIDER_IDS, MODEL_IDS)
        .checkAssert(
            (provider, modelId) -> {
              ModelKey key = ModelKey.of(provider, modelId);

              ModelKey parsed = ModelKey.parse(key.toString());

              assertThat(parsed).isEqualTo(key);
              assertThat(parsed.compareTo(key)).isZero();
            });
  }

  @Test
  void compareTo_antisymmetric() {
    qt(200)
        .forAll(PROVIDER_IDS, MODEL_IDS, PROVIDER_IDS, MODEL_IDS)
        .checkAssert(
            (p1, m1, p2, m2) -> {
              ModelKey a = ModelKey.of(p1, m1);
              ModelKey b = ModelKey.of(p2, m2);

              assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
              assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
            });
  }

  private static Gen<String> strings(String alphabet, int minLength, int maxLength) {
    Gen<String> characters = Generate.pick(alphabet.chars().mapToObj(Character::toString).toList());
    return lists()
        .of(characters)
        .ofSizeBetween(minLength, maxLength)
        .map(chosen -> chosen.stream().collect(Collectors.joining()));
  }
}
