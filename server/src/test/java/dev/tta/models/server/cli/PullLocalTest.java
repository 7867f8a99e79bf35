package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm pull local ...} against a hub on loopback that redirects {@code
 * /o/r/resolve/main/tiny.gguf} to the file with its hash in {@code X-Linked-Etag}, as Hugging Face
 * does. Resuming, hashes and refusals are {@code GgufDownloadTest}'s; here the command: where the
 * file goes, what it prints, and the options it refuses.
 */
class PullLocalTest {

  @TempDir Path dir;

  private HttpServer hub;
  private String hubUrl;
  private Path config;
  private byte[] model;
  private String sha256;

  @BeforeEach
  void start() throws Exception {
    Path written = dir.resolve("written.gguf");
    TinyLlamaWriter.write(written, 3);
    model = Files.readAllBytes(written);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hub.createContext(
        "/o/r/resolve/main/tiny.gguf",
        exchange -> {
          exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256 + "\"");
          exchange.getResponseHeaders().add("Location", "/files/tiny.gguf");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    hub.createContext(
        "/files/tiny.gguf",
        exchange -> {
          exchange.sendResponseHeaders(200, model.length);
          exchange.getResponseBody().write(model);
          exchange.close();
        });
    hub.start();
    hubUrl = "http://127.0.0.1:" + hub.getAddress().getPort();
    config = dir.resolve("mm.yaml");
    Files.writeString(
        config,
        """
        server: {port: 0}
        providers:
          - {name: local, type: local, model_paths: [models]}
          - {name: upstream, type: custom_api, base_url: "http://127.0.0.1:9/v1", models: [{id: x}]}
        """);
  }

  @AfterEach
  void stop() {
    hub.stop(0);
  }

  @Test
  void pullLocal_fromTheHub_putsTheFileInTheModelsFolder_checkedAgainstTheHubsHash() {
    Run run =
        Run.of(
            "pull",
            "local",
            "hf://o/r/tiny.gguf",
            "--hub-url",
            hubUrl,
            "--config",
            config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("models/tiny.gguf")).hasBinaryContent(model);
    assertThat(dir.resolve("models/tiny.gguf.part")).doesNotExist();
    assertThat(run.out())
        .contains("pulling " + hubUrl + "/o/r/resolve/main/tiny.gguf into " + dir.resolve("models"))
        .contains("100.0% of ")
        .contains(
            "pulled local/tiny ("
                + PullCommand.size(model.length)
                + ", sha256 "
                + sha256
                + ", verified)");

    Run again =
        Run.of("pull", "local", "--url", hubUrl + "/files/tiny.gguf", "-c", config.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("is already there: offered as local/tiny");
  }

  @Test
  void pullLocal_withAWrongSha256_failsWithOne_andLeavesNoFile() {
    Run run =
        Run.of(
            "pull",
            "local",
            "--url",
            hubUrl + "/files/tiny.gguf",
            "--sha256",
            "ab".repeat(32),
            "--config",
            config.toString());

    assertThat(run.exitCode()).isEqualTo(MmCommand.EXIT_NO_MODEL);
    assertThat(run.err()).contains("pull failed: SHA-256 mismatch for tiny.gguf");
    assertThat(dir.resolve("models/tiny.gguf")).doesNotExist();
  }

  @Test
  void pull_refusesSourcesThatDoNotFit_withExitCodeTwo() {
    String c = config.toString();
    assertThat(Run.of("pull", "local", "--config", c).err())
        .contains("give the file as hf://OWNER/REPO/FILE.gguf or as --url URL");
    assertThat(Run.of("pull", "local", "hf://o/r", "--config", c).err())
        .contains("'hf://o/r' is not hf://OWNER/REPO/FILE.gguf");
    assertThat(Run.of("pull", "upstream", "hf://o/r/x.gguf", "--config", c).err())
        .contains("'upstream' is a custom_api provider");
    assertThat(Run.of("pull", "ghost", "hf://o/r/x.gguf", "--config", c).err())
        .contains("'ghost' is not a configured provider");
    assertThat(Run.of("pull", "local", "--url", "ftp://x/y.gguf", "--config", c).err())
        .contains("--url: not an absolute http(s) URL: 'ftp://x/y.gguf'");
    assertThat(Run.of("pull", "local", "--url", hubUrl + "/files/model.bin", "--config", c).err())
        .contains("the URL's file name must end in .gguf, was 'model.bin'");
    Run ollama = Run.of("pull", "ollama/llama3.2", "--url", hubUrl + "/x.gguf", "--config", c);
    assertThat(ollama.exitCode()).isEqualTo(MmCommand.EXIT_CONFIG);
    assertThat(ollama.err()).contains("go with a local provider");
  }

  @Test
  void hubFile_isTheHubsResolveAddressOnTheMainBranch() {
    assertThat(
            PullCommand.hubFile(
                "hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
                "https://huggingface.co/"))
        .hasValue(
            URI.create(
                "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/"
                    + "qwen2.5-0.5b-instruct-q4_k_m.gguf"));
    assertThat(PullCommand.hubFile("hf://o/r/sub/dir/m.GGUF", "http://mirror:8080"))
        .hasValue(URI.create("http://mirror:8080/o/r/resolve/main/sub/dir/m.GGUF"));
    assertThat(PullCommand.hubFile("hf://o/r/readme.md", "https://huggingface.co")).isEmpty();
    assertThat(PullCommand.hubFile("hf://o//m.gguf", "https://huggingface.co")).isEmpty();
    assertThat(PullCommand.hubFile("https://o/r/m.gguf", "https://huggingface.co")).isEmpty();
  }

  @Test
  void bar_showsTheShareDone_orTheBytesWhileTheSizeIsUnknown() {
    // 3 MiB of 12 MiB: a quarter, 7.5 of 30 marks rounded to 8
    assertThat(PullCommand.bar(3L << 20, OptionalLong.of(12L << 20)))
        .isEqualTo("downloading              [########......................]  25.0% of 12.0 MiB");
    assertThat(PullCommand.bar(1536, OptionalLong.empty()))
        .isEqualTo("downloading              1.5 KiB");
  }
}
