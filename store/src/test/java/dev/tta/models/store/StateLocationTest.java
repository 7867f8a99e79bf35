package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateLocationTest {

  private static StateLocation.Redis redis(String value) {
    return (StateLocation.Redis) StateLocation.parse(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "memory", "MEMORY", " memory "})
  void nothingOrMemory_isThisProcessAlone(String value) {
    assertThat(StateLocation.parse(value)).isEqualTo(new StateLocation.Memory());
    assertThat(StateLocation.parse(value)).hasToString("memory");
  }

  @Test
  void aRedisUrl_defaultsToPort6379AndDatabase0() {
    StateLocation.Redis redis = redis("redis://cache.internal");

    assertThat(redis.uri()).isEqualTo("redis://cache.internal");
    assertThat(redis.database()).isZero();
    assertThat(redis).hasToString("redis://cache.internal:6379/0");
  }

  @Test
  void theDatabaseNumber_isThePath_andTlsIsRediss() {
    StateLocation.Redis redis = redis("REDISS://cache:6380/12");

    assertThat(redis.database()).isEqualTo(12);
    assertThat(redis).hasToString("rediss://cache:6380/12");
    assertThat(redis("redis://cache/").database()).isZero();
  }

  @Test
  void passwords_areNeverShown_theUserIs() {
    assertThat(redis("redis://app:pw-s3cret@cache:6379/1"))
        .hasToString("redis://app:***@cache:6379/1");
    assertThat(redis("redis://:pw-s3cret@cache/1")).hasToString("redis://:***@cache:6379/1");
    // without a colon Redis takes the one value as the password
    assertThat(redis("redis://pw-s3cret@cache/1")).hasToString("redis://***@cache:6379/1");
    assertThat(redis("redis://@cache/1")).hasToString("redis://cache:6379/1");
    // the client is given the URL as written, password and all
    assertThat(redis("redis://app:pw-s3cret@cache:6379/1").uri())
        .isEqualTo("redis://app:pw-s3cret@cache:6379/1");
  }

  @Test
  void anotherScheme_isRefused() {
    assertThatThrownBy(() -> StateLocation.parse("memcached://cache:11211"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be memory, or a redis:// or rediss:// URL");
  }

  @Test
  void aRedisUrlWithoutHost_orWithAPathThatIsNoNumber_isRefused_withAnExample() {
    assertThatThrownBy(() -> StateLocation.parse("redis://:pw-s3cret@/0"))
        .hasMessage("a redis:// URL needs a host, as in redis://host:6379/0");
    assertThatThrownBy(() -> StateLocation.parse("redis://cache/zero"))
        .hasMessage("the path of a redis:// URL is the database number, as in redis://host:6379/0");
    assertThatThrownBy(() -> StateLocation.parse("redis://cache/123456"))
        .hasMessageStartingWith("the path of a redis:// URL is the database number");
    assertThatThrownBy(() -> StateLocation.parse("redis://cache/0/1"))
        .hasMessageStartingWith("the path of a redis:// URL is the database number");
  }

  @Test
  void aPortOutsideTheRange_isRefused() {
    assertThatThrownBy(() -> StateLocation.parse("redis://cache:99999/0"))
        .hasMessage("the port must be between 1 and 65535, was 99999");
    assertThatThrownBy(() -> StateLocation.parse("redis://cache:0/0"))
        .hasMessage("the port must be between 1 and 65535, was 0");
    assertThat(redis("redis://cache:65535/0")).hasToString("redis://cache:65535/0");
    assertThat(redis("redis://cache:1/0")).hasToString("redis://cache:1/0");
  }

  @Test
  void aMalformedRedisUrl_isRefused_withoutRepeatingIt() {
    assertThatThrownBy(() -> StateLocation.parse("redis://app:pw s3cret@cache/0"))
        .hasMessageStartingWith("is not a valid redis:// URL (Illegal character in ")
        .message()
        .doesNotContain("s3cret");
  }
}
