package dev.tta.models.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  // printf '%s' client-key-0001 | sha256sum
  private static final String CLIENT_HASH =
      "sha256:64eae4db4b1eb8b30da6f7d02065dbd9f7d7f54b85941144f233dd4b3346d12b";

  @Test
  void aPlainKey_isStoredAsItsSha256_andAHashAsGivenInLowerCase() {
    assertThat(ApiKeys.hashed("client-key-0001")).isEqualTo(CLIENT_HASH);
    assertThat(ApiKeys.hashed("  client-key-0001 ")).isEqualTo(CLIENT_HASH);
    assertThat(ApiKeys.hashed(CLIENT_HASH.toUpperCase().replace("SHA256", "sha256")))
        .isEqualTo(CLIENT_HASH);
    assertThat(ApiKeys.hashed("SHA256:" + "AB".repeat(32))).isEqualTo("sha256:" + "ab".repeat(32));
  }

  @Test
  void shortKeys_andMalformedHashes_areRefused() {
    assertThat(ApiKeys.hashed("x".repeat(ApiKeys.MIN_KEY_LENGTH))).startsWith("sha256:");
    assertThatThrownBy(() -> ApiKeys.hashed("x".repeat(ApiKeys.MIN_KEY_LENGTH - 1)))
        .hasMessage("a key must be at least 12 characters long");
    assertThatThrownBy(() -> ApiKeys.hashed("sha256:" + "a".repeat(63)))
        .hasMessageStartingWith("a hashed key must be sha256: followed by 64 hex digits");
    assertThatThrownBy(() -> ApiKeys.hashed("sha256:" + "g".repeat(64)))
        .hasMessageStartingWith("a hashed key must be");
  }

  @Test
  void holders_areToldApart_andNobodyElseIsAnybody() {
    ApiKeys keys =
        new ApiKeys(
            List.of(CLIENT_HASH, ApiKeys.hashed("second-client-key")),
            Optional.of(ApiKeys.hashed("the-admin-key-0001")));

    assertThat(keys.none()).isFalse();
    assertThat(keys.holder("client-key-0001")).contains(ApiKeys.Holder.CLIENT);
    assertThat(keys.holder("second-client-key")).contains(ApiKeys.Holder.CLIENT);
    assertThat(keys.holder("the-admin-key-0001")).contains(ApiKeys.Holder.ADMIN);
    assertThat(keys.holder("client-key-0002")).isEmpty();
    assertThat(keys.holder("")).isEmpty();
    assertThat(keys.holder(null)).isEmpty();
    // the stored hash itself is not a key
    assertThat(keys.holder(CLIENT_HASH)).isEmpty();
  }

  @Test
  void withNoKeys_thereIsNoHolder_andItSaysSo() {
    ApiKeys none = new ApiKeys(List.of(), Optional.empty());
    assertThat(none.none()).isTrue();
    assertThat(none.holder("client-key-0001")).isEmpty();
    assertThat(new ApiKeys(List.of(), Optional.of(CLIENT_HASH)).none()).isFalse();
    assertThat(new ApiKeys(List.of(CLIENT_HASH), Optional.empty()).none()).isFalse();
  }
}
