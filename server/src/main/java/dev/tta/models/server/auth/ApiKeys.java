package dev.tta.models.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** The name of the admin key when the configuration gives it none. */
  public static final String ADMIN_NAME = "admin";

  /**
   * Who presented a key: its holder and its name (the configured one, else {@code key-} and the
   * first 8 hex digits of its hash, which say nothing usable about the key).
   */
  public record Identity(Holder holder, String name) {}

  private final List<byte[]> clients;
  private final List<String> clientNames;
  private final Optional<byte[]> admin;
  private final String adminName;

  public ApiKeys(List<String> clientHashes, Optional<String> adminHash) {
    this(clientHashes, adminHash, Map.of());
  }

  /**
   * @param names configured names by key hash
   */
  public ApiKeys(List<String> clientHashes, Optional<String> adminHash, Map<String, String> names) {
    this.clients = clientHashes.stream().map(ApiKeys::digestOf).toList();
    this.clientNames =
        clientHashes.stream().map(h -> names.getOrDefault(h, derivedName(h))).toList();
    this.admin = adminHash.map(ApiKeys::digestOf);
    this.adminName = adminHash.map(h -> names.getOrDefault(h, ADMIN_NAME)).orElse(ADMIN_NAME);
  }

  private static String derivedName(String hash) {
    return "key-" + hash.substring(HASH_PREFIX.length(), HASH_PREFIX.length() + 8);
  }

  /**
   * Whose key this is and its name; empty when it is nobody's. Every stored hash is compared, so
   * the time taken says nothing about which one matched.
   */
  public Optional<Identity> identify(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    boolean isAdmin = admin.map(a -> MessageDigest.isEqual(a, digest)).orElse(false);
    String client = null;
    for (int i = 0; i < clients.size(); i++) {
      if (MessageDigest.isEqual(clients.get(i), digest) && client == null) {
        client = clientNames.get(i);
      }
    }
    if (isAdmin) {
      return Optional.of(new Identity(Holder.ADMIN, adminName));
    }
    return Optional.ofNullable(client).map(name -> new Identity(Holder.CLIENT, name));
  }

  /** True when no key is configured at all. */
  public boolean none() {
    return clients.isEmpty() && admin.isEmpty();
  }

  /** Whose key this is; empty when it is nobody's. The admin key is also a client key. */
  public Optional<Holder> holder(String presented) {
    return identify(presented).map(Identity::holder);
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
