package dev.tta.models.providers.local;

import dev.tta.models.providers.local.gguf.GgufException;
import dev.tta.models.providers.local.gguf.GgufReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a GGUF model file into a models folder so that the local provider offers it.
 *
 * <ul>
 *   <li>The bytes go to {@code NAME.part} beside the target and are renamed to {@code NAME} in one
 *       step once complete and checked: a half file never sits under the model's name.
 *   <li>A broken connection is resumed where it stopped (an HTTP {@code Range} request), within the
 *       same call up to {@code attempts} times and, from the {@code .part} file, on the next call.
 *   <li>The SHA-256 is checked when known: given by the caller, or the hub's LFS hash ({@code
 *       X-Linked-Etag}, sent on the redirect from the hub to its file store).
 *   <li>A file whose header is not GGUF (an HTML error page, say) is refused and removed.
 * </ul>
 */
public final class GgufDownload implements AutoCloseable {

  /** Told how far the download is; {@code total} is empty while the server has not said. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, OptionalLong total);
  }

  /**
   * A downloaded (or already present) model file.
   *
   * @param sha256 its SHA-256 in lower-case hex, empty when it was already there
   * @param verified whether that hash was checked against a known one
   * @param alreadyPresent the target existed, so nothing was downloaded
   */
  public record Result(
      Path file, long bytes, Optional<String> sha256, boolean verified, boolean alreadyPresent) {}

  public static final int DEFAULT_ATTEMPTS = 5;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern SHA256 = Pattern.compile("\"?(?:W/)?\"?([0-9a-fA-F]{64})\"?");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
  private static final int BUFFER = 1 << 16;

  /** The server refused or answered something that a retry will not change. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final int attempts;

  public GgufDownload(HttpClient http, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts: must be at least 1, was " + attempts);
    }
    this.http = http;
    this.attempts = attempts;
  }

  /** Over the JDK's client, following redirects (the hub sends files from another host). */
  public static GgufDownload create() {
    return new GgufDownload(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .build(),
        DEFAULT_ATTEMPTS);
  }

  /** Closes the HTTP client, whose threads would otherwise outlive the download. */
  @Override
  public void close() {
    http.close();
  }

  /** {@code NAME.part} beside {@code target}. */
  public static Path partFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @param expectedSha256 the file's SHA-256 when the caller knows it; otherwise the hub's, if it
   *     sends one
   * @throws IOException when the server refuses, the connection breaks more often than allowed, the
   *     file is not GGUF or its hash differs (the last two remove the {@code .part} file, whose
   *     bytes are wrong)
   */
  public Result download(URI url, Path target, Optional<String> expectedSha256, Progress progress)
      throws IOException {
    Optional<String> expected = expectedSha256.map(h -> h.toLowerCase(Locale.ROOT));
    if (Files.exists(target)) {
      return new Result(target, Files.size(target), Optional.empty(), false, true);
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path part = partFile(target);
    MessageDigest digest = sha256();
    long have = Files.exists(part) ? hashInto(digest, part) : 0;
    OptionalLong total = OptionalLong.empty();
    for (int attempt = 1; ; attempt++) {
      try {
        Fetched fetched = fetch(url, part, digest, have, progress);
        have = fetched.have();
        total = fetched.total().isPresent() ? fetched.total() : total;
        if (expected.isEmpty()) {
          expected = fetched.hubHash();
        }
        if (total.isPresent() && have < total.getAsLong()) {
          throw new IOException(
              "the connection closed after " + have + " of " + total.getAsLong() + " bytes");
        }
        break;
      } catch (Refused e) {
        throw e;
      } catch (IOException e) {
        have = Files.exists(part) ? Files.size(part) : 0;
        if (attempt >= attempts) {
          throw new IOException(
              e.getMessage()
                  + "; gave up after "
                  + attempts
                  + " attempts ("
                  + have
                  + " bytes kept in "
                  + part
                  + ": the same command resumes from there)",
              e);
        }
      }
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    try {
      GgufReader.read(part);
    } catch (GgufException e) {
      Files.deleteIfExists(part);
      throw new IOException(url + " is not a GGUF model file: " + e.getMessage(), e);
    }
    if (expected.isPresent() && !expected.get().equals(actual)) {
      Files.deleteIfExists(part);
      throw new IOException(
          "SHA-256 mismatch for "
              + target.getFileName()
              + ": expected "
              + expected.get()
              + ", downloaded "
              + actual
              + " (the file was removed)");
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    return new Result(target, have, Optional.of(actual), expected.isPresent(), false);
  }

  private record Fetched(long have, OptionalLong total, Optional<String> hubHash) {}

  /** One request: from {@code have} on, appended to the part file and to the digest. */
  private Fetched fetch(URI url, Path part, MessageDigest digest, long have, Progress progress)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted");
    }
    Optional<String> hubHash = hubHash(response);
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      OptionalLong total;
      boolean append;
      if (status == 416 && have > 0) {
        // nothing after what the part file holds: it was complete already
        return new Fetched(have, OptionalLong.of(have), hubHash);
      } else if (status == 206) {
        Matcher range =
            CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        if (!range.matches() || Long.parseLong(range.group(1)) != have) {
          throw new Refused(
              url
                  + " resumed at the wrong place: asked for bytes from "
                  + have
                  + ", got Content-Range '"
                  + response.headers().firstValue("Content-Range").orElse("")
                  + "'");
        }
        total =
            range.group(2).equals("*")
                ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(range.group(2)));
        append = true;
      } else if (status == 200) {
        total = response.headers().firstValueAsLong("Content-Length");
        // a server that ignores Range sends the whole file again
        append = false;
      } else {
        throw new Refused(url + " answered HTTP " + status + refusal(status));
      }
      if (!append) {
        digest.reset();
        have = 0;
      }
      progress.update(have, total);
      try (OutputStream out =
          Files.newOutputStream(
              part,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = body.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          digest.update(buffer, 0, n);
          have += n;
          progress.update(have, total);
        }
      }
      return new Fetched(have, total, hubHash);
    }
  }

  private static String refusal(int status) {
    return switch (status) {
      case 401, 403 -> " (the file needs an account or accepting its licence on the hub)";
      case 404 -> " (no such file: check the owner, repository and file name)";
      default -> "";
    };
  }

  /** The LFS hash the hub sends with its redirect (or with the file itself, from a mirror). */
  static Optional<String> hubHash(HttpResponse<?> response) {
    for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
      Optional<String> hash = linkedEtag(r.headers());
      if (hash.isPresent()) {
        return hash;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> linkedEtag(HttpHeaders headers) {
    return headers
        .firstValue("X-Linked-Etag")
        .map(SHA256::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1).toLowerCase(Locale.ROOT));
  }

  private static long hashInto(MessageDigest digest, Path file) throws IOException {
    long read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        read += n;
      }
    }
    return read;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
