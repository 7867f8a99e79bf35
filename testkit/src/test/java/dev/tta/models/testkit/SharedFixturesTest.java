package dev.tta.models.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.replay.FixtureSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The search for {@code ../shared} and the skips when it is absent, on folders written here and
 * pointed at with {@link SharedFixtures#PROPERTY}, so that they run the same with or without the
 * real shared folder beside the checkout.
 */
class SharedFixturesTest {

  @TempDir Path temp;
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(SharedFixtures.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(SharedFixtures.PROPERTY);
    } else {
      System.setProperty(SharedFixtures.PROPERTY, before);
    }
  }

  private Path sharedWith(String relative, String text) throws IOException {
    Path shared = temp.resolve("shared");
    Path file = shared.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    System.setProperty(SharedFixtures.PROPERTY, shared.toString());
    return shared;
  }

  @Test
  void require_aFilePresent_isItsPath() throws IOException {
    Path shared = sharedWith("fixtures/demo/models.json", "{\"data\":[]}");

    assertThat(SharedFixtures.root()).contains(shared);
    assertThat(SharedFixtures.require("fixtures/demo/models.json"))
        .isEqualTo(shared.resolve("fixtures/demo/models.json"));
    assertThat(FixtureSet.sharedPresent("demo")).isTrue();
    assertThat(FixtureSet.shared("demo").bytes("models.json"))
        .asString()
        .isEqualTo("{\"data\":[]}");
  }

  @Test
  void require_aFileMissingFromThePresentFolder_skipsNamingIt() throws IOException {
    sharedWith("fixtures/demo/models.json", "{}");

    assertThatThrownBy(() -> SharedFixtures.require("fixtures/demo/chat.json"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("skipped: ../shared has no fixtures/demo/chat.json");
    assertThatThrownBy(() -> FixtureSet.shared("demo").bytes("chat.json"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("has no chat.json");
    assertThat(FixtureSet.sharedPresent("other")).isFalse();
  }

  @Test
  void require_withoutTheFolder_skipsSayingAUsersCloneHasNone() {
    System.setProperty(SharedFixtures.PROPERTY, temp.resolve("absent").toString());

    assertThat(SharedFixtures.root()).isEmpty();
    assertThat(FixtureSet.sharedPresent("demo")).isFalse();
    assertThatThrownBy(() -> SharedFixtures.require("models/tiny.gguf"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(
            "skipped: ../shared is absent (a user's clone has no recorded fixtures); needed"
                + " models/tiny.gguf");
  }
}
