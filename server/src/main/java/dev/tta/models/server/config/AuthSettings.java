package dev.tta.models.server.config;

import dev.tta.models.history.Budget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code auth} section, keys already hashed (a plain key given in the file or the environment
 * is hashed when read and not kept).
 *
 * @param clientKeyHashes {@code client_keys}: keys that may call the API, as {@code sha256:<hex>}
 * @param adminKeyHash {@code admin_key}: the key that may also change state through the management
 *     API
 * @param names the {@code name} of each client key written as a mapping, by its hash
 * @param budgets the {@code budget} of each named key, by name
 */
public record AuthSettings(
    List<String> clientKeyHashes,
    Optional<String> adminKeyHash,
    Map<String, String> names,
    Map<String, Budget> budgets) {

  public AuthSettings {
    clientKeyHashes = List.copyOf(clientKeyHashes);
    names = Map.copyOf(names);
    budgets = Map.copyOf(budgets);
  }

  /** Keys without names or budgets. */
  public AuthSettings(List<String> clientKeyHashes, Optional<String> adminKeyHash) {
    this(clientKeyHashes, adminKeyHash, Map.of(), Map.of());
  }

  public static AuthSettings none() {
    return new AuthSettings(List.of(), Optional.empty());
  }

  /** No key at all: every caller is let in (development mode, loopback only). */
  public boolean open() {
    return clientKeyHashes.isEmpty() && adminKeyHash.isEmpty();
  }
}
