package dev.tta.models.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared fixtures (recorded provider payloads, specifications and small GGUF
 * models), which sit in {@code ../shared} beside a developer's or CI's checkout but not in a user's
 * clone. Tests that need them skip, with the reason, when they are absent.
 */
public final class SharedFixtures {

  /** Overrides the search when set: a path to the shared folder. */
  public static final String PROPERTY = "mm.shared.dir";

  private SharedFixtures() {}

  /**
   * The shared folder, looked for from the working directory upwards (a module's tests run one
   * level down).
   */
  public static Optional<Path> root() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int depth = 0; dir != null && depth < 4; depth++, dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("fixtures"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A file under the shared folder, or a skipped test (JUnit assumption) naming what is missing.
   *
   * @param relative a path such as {@code fixtures/openai/chat_completions_stream.sse}
   */
  public static Path require(String relative) {
    Optional<Path> root = root();
    Assumptions.assumeTrue(
        root.isPresent(),
        "skipped: ../shared is absent (a user's clone has no recorded fixtures); needed "
            + relative);
    Path file = root.get().resolve(relative);
    Assumptions.assumeTrue(Files.exists(file), "skipped: ../shared has no " + relative);
    return file;
  }
}
