package dev.tta.models.testkit.replay;

import dev.tta.models.testkit.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A folder of recordings: one provider's folder of the shared fixtures ({@code
 * ../shared/fixtures/<provider>/}), a folder of a provider's own recordings, or hand-written
 * fixtures on the classpath. Exchanges recorded whole are kept as {@code NAME.request.http} and
 * {@code NAME.response.http}; other recordings are single body files.
 */
public final class FixtureSet {

  private static final String REQUEST = ".request.http";
  private static final String RESPONSE = ".response.http";

  private final String description;
  private final Path folder;
  private final String resourceFolder;
  private final boolean skipWhenMissing;

  private FixtureSet(
      String description, Path folder, String resourceFolder, boolean skipWhenMissing) {
    this.description = description;
    this.folder = folder;
    this.resourceFolder = resourceFolder;
    this.skipWhenMissing = skipWhenMissing;
  }

  /**
   * One provider's recordings in the shared fixtures; when they, or a file asked of them, are
   * absent the calling test is skipped, saying so.
   */
  public static FixtureSet shared(String provider) {
    Path folder = SharedFixtures.require("fixtures/" + provider);
    return new FixtureSet("../shared/fixtures/" + provider, folder, null, true);
  }

  /** Recordings in a folder on disk, such as a provider's own; a missing file is an error. */
  public static FixtureSet directory(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("fixtures: " + folder + " is not a folder");
    }
    return new FixtureSet(folder.toString(), folder, null, false);
  }

  /** Whether the shared recordings of a provider are present. */
  public static boolean sharedPresent(String provider) {
    return SharedFixtures.root()
        .map(root -> Files.isDirectory(root.resolve("fixtures").resolve(provider)))
        .orElse(false);
  }

  /** Recordings on the classpath under an absolute resource folder ({@code /dev/.../fixtures}). */
  public static FixtureSet classpath(String resourceFolder) {
    String folder = resourceFolder.endsWith("/") ? resourceFolder : resourceFolder + "/";
    return new FixtureSet("classpath:" + folder, null, folder, false);
  }

  public String description() {
    return description;
  }

  /** A file's bytes. */
  public byte[] bytes(String name) {
    if (folder != null) {
      Path file = folder.resolve(name);
      if (skipWhenMissing) {
        Assumptions.assumeTrue(Files.exists(file), "skipped: " + description + " has no " + name);
      } else if (!Files.exists(file)) {
        throw new IllegalArgumentException(description + " has no " + name);
      }
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try (InputStream in = FixtureSet.class.getResourceAsStream(resourceFolder + name)) {
      if (in == null) {
        throw new IllegalArgumentException(description + " has no " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A path on disk, for fixtures in a folder (the specifications are read from files). */
  public Optional<Path> file(String name) {
    return folder == null ? Optional.empty() : Optional.of(folder.resolve(name));
  }

  /**
   * An exchange recorded whole: {@code NAME.response.http}, with the method, path and body of
   * {@code NAME.request.http} when that exists.
   */
  public Exchange exchange(String name) {
    RecordedResponse response = RecordedResponse.parseHttp(bytes(name + RESPONSE));
    Optional<RecordedRequest> request =
        exists(name + REQUEST)
            ? Optional.of(RecordedRequest.parseHttp(bytes(name + REQUEST)))
            : Optional.empty();
    String method = request.map(RecordedRequest::method).orElse("POST");
    String path = request.map(RecordedRequest::path).orElse("/");
    return new Exchange(name, method, path, request, response);
  }

  /** The names of the exchanges recorded whole, sorted (fixtures in a folder only). */
  public List<String> exchangeNames() {
    if (folder == null) {
      throw new IllegalStateException(description + ": cannot list classpath fixtures");
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(RESPONSE))
          .map(n -> n.substring(0, n.length() - RESPONSE.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean exists(String name) {
    if (folder != null) {
      return Files.exists(folder.resolve(name));
    }
    return FixtureSet.class.getResource(resourceFolder + name) != null;
  }

  @Override
  public String toString() {
    return description;
  }
}
