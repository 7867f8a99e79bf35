package dev.tta.models.server.config;

import dev.tta.models.store.HistoryLocation;
import dev.tta.models.store.StateLocation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code storage} section: where calls and spend are kept, and where replicas share routing
 * state.
 *
 * @param history {@code history}: SQLite under the data directory by default
 * @param state {@code state}: this process's memory by default
 * @param retention {@code retention}: how long calls are kept
 */
public record StorageSettings(HistoryLocation history, StateLocation state, Duration retention) {

  /** The defaults for a data directory: SQLite in it, memory, 30 days. */
  public static StorageSettings defaults(Path dataDirectory) {
    return new StorageSettings(
        new HistoryLocation.Sqlite(dataDirectory.resolve(HistoryLocation.DEFAULT_FILE)),
        new StateLocation.Memory(),
        dev.tta.models.store.HistorySettings.DEFAULT_RETENTION);
  }
}
