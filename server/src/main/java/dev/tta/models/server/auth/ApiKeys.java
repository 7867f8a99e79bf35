package dev.tta.models.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys callers present, kept only as SHA-256 hashes and compared in constant time: a presented
 * key is hashed and compared with every stored hash, whatever matches first, so the time taken says
 * nothing about which key (or how much of it) was right.
 */
public final class ApiKeys {

  /** How a stored hash is written: {@code sha256:} and 64 hex digits. */
  public static final String HASH_PREFIX = "sha256:";

  /** Shorter keys are guessable; a generated key is far longer. */
  public static final int MIN_KEY_LENGTH = 12;

  /** Who a key belongs to. */
  public enum Holder {
    CLIENT,
    ADMIN
  }

  private final List<byte[]> clients;
  private final Optional<byte[]> admin;

  public ApiKeys(List<String> clientHashes, Optional<String> adminHash) {
    this.clients = clientHashes.stream().map(ApiKeys::digestOf).toList();
    this.admin = adminHash.map(ApiKeys::digestOf);
  }

  /** True when no key is configured at all. */
  public boolean none() {
    return clients.isEmpty() && admin.isEmpty();
  }

  /** Whose key this is; empty when it is nobody's. The admin key is also a client key. */
  public Optional<Holder> holder(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    boolean isAdmin = admin.map(a -> MessageDigest.isEqual(a, digest)).orElse(false);
    boolean isClient = false;
    for (byte[] client : clients) {
      isClient |= MessageDigest.isEqual(client, digest);
    }
    if (isAdmin) {
      return Optional.of(Holder.ADMIN);
    }
    return isClient ? Optional.of(Holder.CLIENT) : Optional.empty();
  }

  /**
   * A key as stored: a {@code sha256:<hex>} value is checked and kept; anything else is a plain
   * key, which is hashed.
   *
   * @throws IllegalArgumentException when a hash is malformed or a plain key is too short
   */
  public static String hashed(String keyOrHash) {
    String value = keyOrHash.trim();
    if (value.toLowerCase(Locale.ROOT).startsWith(HASH_PREFIX)) {
      String hex = value.substring(HASH_PREFIX.length()).toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "a hashed key must be sha256: followed by 64 hex digits (mm hash-key makes one)");
      }
      return HASH_PREFIX + hex;
    }
    if (value.length() < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a key must be at least " + MIN_KEY_LENGTH + " characters long");
    }
    return HASH_PREFIX + HexFormat.of().formatHex(sha256(value));
  }

  private static byte[] digestOf(String hash) {
    return HexFormat.of().parseHex(hash.substring(HASH_PREFIX.length()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
