package dev.tta.models.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ModelKeyProperties {

  @Property(tries = 200)
  void parse_ofToStringGivesTheSameKey(
      @ForAll("providerIds") String provider, @ForAll("modelIds") String modelId) {
    ModelKey key = ModelKey.of(provider, modelId);

    ModelKey parsed = ModelKey.parse(key.toString());

    assertThat(parsed).isEqualTo(key);
    assertThat(parsed.compareTo(key)).isZero();
  }

  @Property(tries = 200)
  void compareTo_antisymmetric(
      @ForAll("providerIds") String p1,
      @ForAll("modelIds") String m1,
      @ForAll("providerIds") String p2,
      @ForAll("modelIds") String m2) {
    ModelKey a = ModelKey.of(p1, m1);
    ModelKey b = ModelKey.of(p2, m2);

    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
  }

  @Provide
  Arbitrary<String> providerIds() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
    Arbitrary<String> rest =
        Arbitraries.strings().withCharRange('a', 'z').withChars('_', '.', '-', '7').ofMaxLength(8);
    return first.flatMap(c -> rest.map(r -> c + r));
  }

  @Provide
  Arbitrary<String> modelIds() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('/', ':', '.', '-', 'Q', '8')
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(s -> !s.isBlank());
  }
}
