package dev.tta.models.providers.local;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.providers.local.gguf.GgufException;
import dev.tta.models.providers.local.gguf.GgufFile;
import dev.tta.models.providers.local.gguf.GgufReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The GGUF files under the configured paths, each read once (again when it changes): a model per
 * file, named by its file name without {@code .gguf}. A file that is not a readable GGUF model is
 * left out, and the reason kept for the health report.
 */
final class LocalCatalog {

  static final String EXTENSION = ".gguf";
  static final int FOLDER_DEPTH = 2;

  /** A model file and what its header says. */
  record Model(String id, GgufFile gguf) {}

  private record Seen(long size, FileTime modified, GgufFile gguf) {}

  private final LocalSettings settings;
  private final Map<Path, Seen> read = new ConcurrentHashMap<>();
  private final Map<Path, String> unreadable = new ConcurrentHashMap<>();

  LocalCatalog(LocalSettings settings) {
    this.settings = settings;
  }

  /** The models, by id; when two files share a name the first path wins. */
  List<Model> models() {
    Map<String, Model> byId = new TreeMap<>();
    for (Path file : files()) {
      GgufFile gguf = header(file);
      if (gguf != null) {
        byId.putIfAbsent(id(file), new Model(id(file), gguf));
      }
    }
    return List.copyOf(byId.values());
  }

  /** Files that are not readable models, with why. */
  Map<Path, String> unreadable() {
    return Map.copyOf(unreadable);
  }

  static String id(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - EXTENSION.length());
  }

  static boolean isModelFile(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION)
        && Files.isRegularFile(file);
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (Path path : settings.modelPaths()) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> found = Files.walk(path, FOLDER_DEPTH)) {
          found.filter(LocalCatalog::isModelFile).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (isModelFile(path)) {
        files.add(path);
      }
    }
    return files;
  }

  private GgufFile header(Path file) {
    try {
      long size = Files.size(file);
      FileTime modified = Files.getLastModifiedTime(file);
      Seen seen = read.get(file);
      if (seen != null && seen.size() == size && seen.modified().equals(modified)) {
        return seen.gguf();
      }
      GgufFile gguf = GgufReader.read(file);
      read.put(file, new Seen(size, modified, gguf));
      unreadable.remove(file);
      return gguf;
    } catch (GgufException | IOException e) {
      unreadable.put(file, e.getMessage());
      read.remove(file);
      return null;
    }
  }

  /** The window a model is loaded with: the configured one, else its own up to the cap. */
  int contextFor(GgufFile gguf) {
    if (settings.contextLength().isPresent()) {
      return settings.contextLength().getAsInt();
    }
    long own = gguf.contextLength().orElse(LocalSettings.MAX_DEFAULT_CONTEXT);
    return Math.clamp(own, 1, LocalSettings.MAX_DEFAULT_CONTEXT);
  }

  ModelInfo info(Model model) {
    GgufFile gguf = model.gguf();
    int context = contextFor(gguf);
    String description =
        String.join(
            ", ",
            gguf.architecture().isBlank() ? "unknown architecture" : gguf.architecture(),
            parameters(gguf.parameterCount()),
            gguf.fileTypeName(),
            gguf.hasChatTemplate() ? "chat template" : "no chat template");
    return ModelInfo.builder(settings.id(), ProviderType.LOCAL, model.id())
        .name(gguf.string("general.name").orElse(model.id()))
        .description(description)
        .contextLength(context)
        .costPerToken(0, 0)
        .free(true)
        .capabilities("chat")
        .estimatedMemoryBytes(gguf.estimatedMemoryBytes(context))
        .assistantPrefill(AssistantPrefill.SUPPORTED)
        .build();
  }

  /** 513048 is "513K parameters", 6738415616 "6.7B parameters". */
  static String parameters(long count) {
    if (count >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1fB parameters", count / 1e9);
    }
    if (count >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1fM parameters", count / 1e6);
    }
    if (count >= 1_000L) {
      return (count / 1000) + "K parameters";
    }
    return count + " parameters";
  }
}
