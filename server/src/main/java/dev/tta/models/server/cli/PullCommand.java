package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.local.GgufDownload;
import dev.tta.models.providers.local.LocalSettings;
import dev.tta.models.providers.ollama.OllamaProvider;
import dev.tta.models.providers.ollama.PullProgress;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Downloads a model, showing its progress: a GGUF file from Hugging Face (or any URL) into a local
 * provider's models folder, or a model into an Ollama server.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download a model:",
      "  mm pull local hf://OWNER/REPO/FILE.gguf   a GGUF file from Hugging Face into the local"
          + " provider's models folder",
      "  mm pull local --url URL                   a GGUF file from anywhere",
      "  mm pull ollama/llama3.2                   a model into an Ollama provider",
      "A broken download resumes (also when the same command is run again), the SHA-256 is"
          + " checked when known, and a file that is not GGUF is refused.",
      "Exit code 0 when the pull succeeded, 1 when it failed, 2 for a provider or source that"
          + " does not fit."
    })
final class PullCommand implements Callable<Integer> {

  /** Ollama sends progress lines every few hundred ms; a minute of silence means trouble. */
  static final Duration QUIET_LIMIT = Duration.ofSeconds(60);

  static final String HF_SCHEME = "hf://";
  static final String HUB_ENV = "MM_HF_ENDPOINT";
  static final String DEFAULT_HUB = "https://huggingface.co";

  private static final String GGUF = ".gguf";

  /** How often the progress line is redrawn at most. */
  private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();

  private static final int BAR_WIDTH = 30;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConfigOption config;

  @Parameters(
      index = "0",
      paramLabel = "PROVIDER[/MODEL]",
      description = "A local provider (local), or an Ollama model (ollama/llama3.2).")
  String model;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "hf://OWNER/REPO/FILE.gguf",
      description = "For a local provider: a GGUF file on Hugging Face (its main branch).")
  String source;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "For a local provider: the file's URL.")
  URI url;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description = "The file's SHA-256 (default: the hub's, when it sends one).")
  String sha256;

  @Option(
      names = "--hub-url",
      paramLabel = "URL",
      defaultValue = "${env:" + HUB_ENV + ":-" + DEFAULT_HUB + "}",
      description =
          "Where hf:// files come from: a mirror of Hugging Face (default: $"
              + HUB_ENV
              + ", else "
              + DEFAULT_HUB
              + ").")
  String hubUrl;

  @Override
  public Integer call() {
    if (!model.contains("/")) {
      return pullFile();
    }
    if (source != null || url != null || sha256 != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "a source, --url and --sha256 go with a local provider (mm pull local hf://...), not"
              + " with an Ollama model");
    }
    ModelKey key;
    try {
      key = ModelKey.parse(model);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (GatewayRuntime runtime = GatewayRuntime.start(config.load(System.getenv()))) {
      Optional<ModelProvider> provider = runtime.providers().get(key.provider());
      if (provider.isEmpty() || !(provider.get() instanceof OllamaProvider ollama)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "'"
                + key.provider()
                + "' is not a configured Ollama provider (mm providers lists them)");
      }
      PrintWriter out = spec.commandLine().getOut();
      try {
        ollama.pull(key.modelId(), QUIET_LIMIT, progress -> out.print("\r" + line(progress)));
        out.println();
        out.println("pulled " + key);
        out.flush();
        return 0;
      } catch (ProviderException e) {
        out.println();
        out.flush();
        spec.commandLine().getErr().println("pull failed: " + e.getMessage());
        return MmCommand.EXIT_NO_MODEL;
      }
    }
  }

  /** A GGUF file into the models folder of the local provider named {@link #model}. */
  private int pullFile() {
    URI from = fileUrl();
    GatewayConfig loaded = config.load(System.getenv());
    ProviderSettings provider =
        loaded.providers().stream()
            .filter(p -> p.id().value().equals(model))
            .findFirst()
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(),
                        "'" + model + "' is not a configured provider (mm providers lists them)"));
    if (!(provider.settings() instanceof LocalSettings local)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "'"
              + model
              + "' is a "
              + provider.type()
              + " provider; a GGUF file goes to a local one, an Ollama model is pulled as"
              + " ollama/MODEL");
    }
    Path folder = modelsFolder(local);
    String name = fileName(from);
    Path target = folder.resolve(name);
    PrintWriter out = spec.commandLine().getOut();
    out.println("pulling " + from + " into " + folder);
    out.flush();
    Bar bar = new Bar(out);
    try (GgufDownload download = GgufDownload.create()) {
      GgufDownload.Result result =
          download.download(from, target, Optional.ofNullable(sha256), bar::update);
      bar.finish();
      String id = name.substring(0, name.length() - GGUF.length());
      if (result.alreadyPresent()) {
        out.println(target + " is already there: offered as " + model + "/" + id);
      } else {
        out.println(
            "pulled "
                + model
                + "/"
                + id
                + " ("
                + size(result.bytes())
                + ", sha256 "
                + result.sha256().orElseThrow()
                + (result.verified() ? ", verified" : ", no hash known to check it against")
                + ")");
      }
      out.flush();
      return 0;
    } catch (IOException e) {
      bar.finish();
      spec.commandLine().getErr().println("pull failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return MmCommand.EXIT_NO_MODEL;
    }
  }

  /** The file's URL: from the hf:// source on the hub, or --url; exactly one of them. */
  private URI fileUrl() {
    if ((source == null) == (url == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "give the file as hf://OWNER/REPO/FILE.gguf or as --url URL (one of them)");
    }
    if (url != null) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--url: not an absolute http(s) URL: '" + url + "'");
      }
      return url;
    }
    return hubFile(source, hubUrl)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'"
                        + source
                        + "' is not hf://OWNER/REPO/FILE.gguf (for example"
                        + " hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf)"));
  }

  /**
   * Hugging Face's address of a file on a repository's main branch: {@code
   * HUB/OWNER/REPO/resolve/main/PATH}; empty when {@code source} is not {@code
   * hf://OWNER/REPO/PATH.gguf}.
   */
  static Optional<URI> hubFile(String source, String hub) {
    if (!source.startsWith(HF_SCHEME)) {
      return Optional.empty();
    }
    String[] parts = source.substring(HF_SCHEME.length()).split("/", 3);
    if (parts.length < 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || !parts[2].toLowerCase(Locale.ROOT).endsWith(GGUF)
        || parts[2].startsWith("/")) {
      return Optional.empty();
    }
    String base = hub.endsWith("/") ? hub.substring(0, hub.length() - 1) : hub;
    try {
      return Optional.of(
          new URI(base + "/" + parts[0] + "/" + parts[1] + "/resolve/main/" + parts[2]));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The file's name: the URL's last path segment, which must end in .gguf. */
  private String fileName(URI from) {
    String path = from.getPath() == null ? "" : from.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!name.toLowerCase(Locale.ROOT).endsWith(GGUF) || name.length() == GGUF.length()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the URL's file name must end in .gguf, was '" + name + "' (" + from + ")");
    }
    return name;
  }

  /** The first folder of the provider's model_paths (a file entry names one model only). */
  private Path modelsFolder(LocalSettings local) {
    return local.modelPaths().stream()
        .filter(p -> Files.isDirectory(p) || !p.toString().toLowerCase(Locale.ROOT).endsWith(GGUF))
        .findFirst()
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    "provider '"
                        + model
                        + "' lists only files in model_paths; add a folder to download into"));
  }

  /** A progress bar redrawn in place, at most every {@link #REDRAW_NANOS}. */
  private static final class Bar {
    private final PrintWriter out;
    private long drawnAt;
    private boolean drawn;
    private String last = "";

    Bar(PrintWriter out) {
      this.out = out;
    }

    void update(long done, OptionalLong total) {
      last = bar(done, total);
      long now = System.nanoTime();
      boolean complete = total.isPresent() && done == total.getAsLong();
      if (!drawn || complete || now - drawnAt >= REDRAW_NANOS) {
        out.print("\r" + last);
        out.flush();
        drawn = true;
        drawnAt = now;
      }
    }

    void finish() {
      if (drawn) {
        out.print("\r" + last);
        out.println();
        out.flush();
      }
    }
  }

  /** {@code [###.......] 30.0% of 1.0 MiB}, or the bytes so far while the size is unknown. */
  static String bar(long done, OptionalLong total) {
    if (total.isEmpty() || total.getAsLong() <= 0) {
      return String.format(Locale.ROOT, "%-24s %s", "downloading", size(done));
    }
    double share = Math.min(1.0, done / (double) total.getAsLong());
    int filled = (int) Math.round(share * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "%-24s [%s%s] %5.1f%% of %s",
        "downloading",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        share * 100,
        size(total.getAsLong()));
  }

  /** One progress line: the status, and a bar with the share done while a layer downloads. */
  static String line(PullProgress progress) {
    if (progress.fraction().isEmpty()) {
      return String.format(Locale.ROOT, "%-72s", progress.status());
    }
    double done = progress.fraction().getAsDouble();
    int filled = (int) Math.round(done * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "%-24s [%s%s] %5.1f%% of %s",
        progress.status(),
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        done * 100,
        size(progress.totalBytes()));
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    if (bytes >= 1L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
    }
    return bytes + " B";
  }
}
