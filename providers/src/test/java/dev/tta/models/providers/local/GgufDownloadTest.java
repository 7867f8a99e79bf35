package dev.tta.models.providers.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a hub-like HTTP server on loopback: {@code /o/r/resolve/main/tiny.gguf} redirects
 * to {@code /files/tiny.gguf} with the file's hash in {@code X-Linked-Etag}, as Hugging Face does;
 * the file is a model written by {@link TinyLlamaWriter}, served with {@code Range} support, and
 * the server can cut the connection half-way, send a wrong hash, ignore {@code Range} or serve a
 * page that is not GGUF.
 */
class GgufDownloadTest {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  @TempDir Path dir;

  private byte[] model;
  private String modelSha256;
  private HttpServer server;
  private URI hubUrl;
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger wrongHashesLeft = new AtomicInteger();
  private volatile boolean ignoreRange;
  private volatile byte[] served;

  @BeforeEach
  void start() throws Exception {
    Path written = dir.resolve("written.gguf");
    TinyLlamaWriter.write(written, 7);
    model = Files.readAllBytes(written);
    served = model;
    modelSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/o/r/resolve/main/tiny.gguf",
        exchange -> {
          String hash =
              wrongHashesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                  ? "0".repeat(64)
                  : modelSha256;
          exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + hash + "\"");
          exchange.getResponseHeaders().add("Location", "/files/tiny.gguf");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext("/files/tiny.gguf", this::file);
    server.start();
    hubUrl =
        URI.create(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/o/r/resolve/main/tiny.gguf");
  }

  @AfterEach
  void stop() {
    downloads.forEach(GgufDownload::close);
    server.stop(0);
  }

  private void file(HttpExchange exchange) throws IOException {
    byte[] bytes = served;
    String range = exchange.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "" : range);
    Matcher m = range == null || ignoreRange ? null : RANGE.matcher(range);
    int from = m != null && m.matches() ? Integer.parseInt(m.group(1)) : 0;
    if (from >= bytes.length && from > 0) {
      exchange.sendResponseHeaders(416, -1);
      exchange.close();
      return;
    }
    if (from > 0) {
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
    }
    exchange.sendResponseHeaders(from > 0 ? 206 : 200, bytes.length - from);
    OutputStream body = exchange.getResponseBody();
    if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      int half = from + (bytes.length - from) / 2;
      body.write(bytes, from, half - from);
      body.flush();
      // a handler that throws has its connection closed by the server: here short of the
      // declared length
      throw new IOException("cut half-way on purpose");
    }
    body.write(bytes, from, bytes.length - from);
    exchange.close();
  }

  private final List<GgufDownload> downloads = new CopyOnWriteArrayList<>();

  private GgufDownload download(int attempts) {
    GgufDownload download =
        new GgufDownload(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(), attempts);
    downloads.add(download);
    return download;
  }

  @Test
  void aConnectionCutHalfWay_isResumedWithARange_andTheHubsHashIsChecked() throws Exception {
    dropsLeft.set(1);
    Path target = dir.resolve("models/tiny.gguf");
    List<Long> progress = new CopyOnWriteArrayList<>();

    GgufDownload.Result result =
        download(3).download(hubUrl, target, Optional.empty(), (done, total) -> progress.add(done));

    assertThat(Files.readAllBytes(target)).isEqualTo(model);
    assertThat(GgufDownload.partFile(target)).doesNotExist();
    assertThat(result.sha256()).hasValue(modelSha256);
    assertThat(result.verified()).isTrue();
    assertThat(result.bytes()).isEqualTo(model.length);
    // the second request resumes where the first stopped: at most the half the server sent (what
    // the client received of it before the close depends on the kernel), never from the start
    assertThat(ranges).hasSize(2);
    assertThat(ranges.getFirst()).isEmpty();
    Matcher resumed = RANGE.matcher(ranges.getLast());
    assertThat(resumed.matches()).as(ranges.getLast()).isTrue();
    assertThat(Long.parseLong(resumed.group(1))).isBetween(1L, (long) model.length / 2);
    assertThat(progress.getLast()).isEqualTo((long) model.length);
    assertThat(progress).isSorted();
  }

  @Test
  void aWrongHash_removesTheDownload_leavingNoFile_andTheNextPullSucceeds() throws Exception {
    wrongHashesLeft.set(1);
    Path target = dir.resolve("tiny.gguf");

    assertThatThrownBy(() -> download(3).download(hubUrl, target, Optional.empty(), (d, t) -> {}))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "SHA-256 mismatch for tiny.gguf: expected "
                + "0".repeat(64)
                + ", downloaded "
                + modelSha256
                + " (the file was removed)");
    assertThat(target).doesNotExist();
    assertThat(GgufDownload.partFile(target)).doesNotExist();

    GgufDownload.Result again =
        download(3).download(hubUrl, target, Optional.empty(), (d, t) -> {});
    assertThat(again.verified()).isTrue();
    assertThat(Files.readAllBytes(target)).isEqualTo(model);
  }

  @Test
  void aHashGivenByTheCaller_winsOverTheHubs() throws Exception {
    Path target = dir.resolve("tiny.gguf");
    String other = "ab".repeat(32);

    assertThatThrownBy(() -> download(1).download(hubUrl, target, Optional.of(other), (d, t) -> {}))
        .hasMessageContaining("expected " + other + ", downloaded " + modelSha256);
    assertThat(target).doesNotExist();
  }

  @Test
  void aPartFileLeftByAnEarlierPull_isResumedFromItsEnd() throws Exception {
    Path target = dir.resolve("tiny.gguf");
    Files.write(GgufDownload.partFile(target), Arrays.copyOf(model, 1000));
    URI file = hubUrl.resolve("/files/tiny.gguf");

    GgufDownload.Result result =
        download(1).download(file, target, Optional.of(modelSha256.toUpperCase()), (d, t) -> {});

    assertThat(ranges).containsExactly("bytes=1000-");
    assertThat(result.verified()).isTrue();
    assertThat(Files.readAllBytes(target)).isEqualTo(model);
  }

  @Test
  void aServerThatIgnoresRange_sendsTheWholeFile_whichReplacesThePart() throws Exception {
    ignoreRange = true;
    Path target = dir.resolve("tiny.gguf");
    Files.write(GgufDownload.partFile(target), Arrays.copyOf(model, 1000));

    GgufDownload.Result result =
        download(1)
            .download(hubUrl.resolve("/files/tiny.gguf"), target, Optional.empty(), (d, t) -> {});

    assertThat(Files.readAllBytes(target)).isEqualTo(model);
    assertThat(result.sha256()).hasValue(modelSha256);
    assertThat(result.verified()).isFalse();
  }

  @Test
  void aFileThatIsNotGguf_isRefusedAndRemoved() throws Exception {
    served = "<html><body>Sign in to continue</body></html>".getBytes(StandardCharsets.UTF_8);
    Path target = dir.resolve("tiny.gguf");

    assertThatThrownBy(
            () ->
                download(1)
                    .download(
                        hubUrl.resolve("/files/tiny.gguf"), target, Optional.empty(), (d, t) -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a GGUF model file");
    assertThat(target).doesNotExist();
    assertThat(GgufDownload.partFile(target)).doesNotExist();
  }

  @Test
  void aMissingFile_isRefusedAtOnce_withoutRetrying() {
    Path target = dir.resolve("other.gguf");
    URI missing = hubUrl.resolve("/o/r/resolve/main/other.gguf");

    assertThatThrownBy(() -> download(5).download(missing, target, Optional.empty(), (d, t) -> {}))
        .hasMessage(
            missing
                + " answered HTTP 404 (no such file: check the owner, repository and"
                + " file name)");
    assertThat(target).doesNotExist();
    assertThat(GgufDownload.partFile(target)).doesNotExist();
  }

  @Test
  void aConnectionCutEveryTime_givesUp_keepingThePartForTheNextPull() throws Exception {
    dropsLeft.set(Integer.MAX_VALUE);
    Path target = dir.resolve("tiny.gguf");

    assertThatThrownBy(() -> download(2).download(hubUrl, target, Optional.empty(), (d, t) -> {}))
        .hasMessageContaining("gave up after 2 attempts")
        .hasMessageContaining("the same command resumes from there");
    // each answer carried half of what was asked, of which the client got what the kernel delivered
    // before the close: the second asks from where the first stopped, and the part holds the file's
    // beginning, never more than the two halves
    assertThat(ranges).hasSize(2);
    assertThat(ranges.getFirst()).isEmpty();
    Matcher resumed = RANGE.matcher(ranges.getLast());
    assertThat(resumed.matches()).as(ranges.getLast()).isTrue();
    int from = Integer.parseInt(resumed.group(1));
    assertThat(from).isBetween(1, model.length / 2);
    byte[] part = Files.readAllBytes(GgufDownload.partFile(target));
    assertThat(part.length).isBetween(from, from + (model.length - from) / 2);
    assertThat(part).isEqualTo(Arrays.copyOf(model, part.length));
    assertThat(target).doesNotExist();
  }

  @Test
  void aFileAlreadyThere_isLeftAsItIs() throws Exception {
    Path target = dir.resolve("tiny.gguf");
    Files.write(target, model);

    GgufDownload.Result result =
        download(1).download(hubUrl, target, Optional.empty(), (d, t) -> {});

    assertThat(result.alreadyPresent()).isTrue();
    assertThat(ranges).isEmpty();
  }
}
