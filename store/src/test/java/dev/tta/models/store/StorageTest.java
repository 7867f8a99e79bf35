package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.state.RoutingState;
import dev.tta.models.store.memory.InMemoryRoutingState;
import dev.tta.models.store.redis.RedisRoutingState;
import dev.tta.models.testkit.servers.RefusingPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {

  @TempDir Path folder;

  @Test
  void memory_isTheStateOfThisProcessAlone() {
    try (RoutingState state = Storage.openState(new StateLocation.Memory())) {
      assertThat(state).isInstanceOf(InMemoryRoutingState.class);
    }
  }

  @Test
  void redis_isOpenedWithoutConnecting_andSaysSoUntilItIsStarted() {
    try (RefusingPort nothingThere = RefusingPort.open()) {
      StateLocation location = StateLocation.parse("redis://127.0.0.1:" + nothingThere.port());

      try (RoutingState state = Storage.openState(location)) {
        assertThat(state).isInstanceOf(RedisRoutingState.class);
        assertThat(state.status().backend()).isEqualTo("redis");
        assertThat(state.status().location()).isEqualTo(location.toString());
        assertThat(state.status().degraded()).isTrue();
        assertThat(state.status().detail()).isEqualTo("not connected yet");
      }
    }
  }

  @Test
  void aSqliteFileInAFolderNotYetThere_isCreated_withItsSchema() throws Exception {
    Path file = folder.resolve("a").resolve("b").resolve("mm.db");

    Storage.openHistory(
            new HistoryLocation.Sqlite(file),
            HistorySettings.defaults(),
            InstantSource.fixed(Instant.EPOCH),
            new SimpleMeterRegistry())
        .close();

    assertThat(file).isRegularFile();
    assertThat(Files.size(file)).isPositive();
  }

  @Test
  void aHistoryThatCannotBeOpened_saysWhere() throws Exception {
    // a folder where the file should be
    Path file = Files.createDirectories(folder.resolve("mm.db"));

    assertThatThrownBy(
            () ->
                Storage.openHistory(
                    new HistoryLocation.Sqlite(file),
                    HistorySettings.defaults(),
                    InstantSource.fixed(Instant.EPOCH),
                    new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot open the history in sqlite " + file + ": ");
  }
}
