package dev.tta.models.server.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code auth} section, keys already hashed (a plain key given in the file or the environment
 * is hashed when read and not kept).
 *
 * @param clientKeyHashes {@code client_keys}: keys that may call the API, as {@code sha256:<hex>}
 * @param adminKeyHash {@code admin_key}: the key that may also change state through the management
 *     API
 */
public record AuthSettings(List<String> clientKeyHashes, Optional<String> adminKeyHash) {

  public AuthSettings {
    clientKeyHashes = List.copyOf(clientKeyHashes);
  }

  public static AuthSettings none() {
    return new AuthSettings(List.of(), Optional.empty());
  }

  /** No key at all: every caller is let in (development mode, loopback only). */
  public boolean open() {
    return clientKeyHashes.isEmpty() && adminKeyHash.isEmpty();
  }
}
