package dev.tta.models.server.cli;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.embedded.EmbeddedDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option every command that needs the gateway's providers shares, and where a
 * configuration is looked for without it: {@value ConfigReader#CONFIG_ENV}, then {@code ./mm.yaml},
 * then the embedded default.
 */
final class ConfigOption {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "The YAML configuration (default: $MM_CONFIG, else ./mm.yaml, else the embedded"
              + " default that needs no file).")
  Path file;

  /**
   * The configuration, checked.
   *
   * @throws dev.tta.models.server.config.ConfigException with every problem found
   */
  GatewayConfig load(Map<String, String> env) {
    ConfigReader reader = new ConfigReader(env);
    if (file != null) {
      return reader.read(file);
    }
    String fromEnv = env.get(ConfigReader.CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return reader.read(Path.of(fromEnv));
    }
    if (Files.isRegularFile(ConfigReader.DEFAULT_FILE)) {
      return reader.read(ConfigReader.DEFAULT_FILE);
    }
    return EmbeddedDefault.create(env);
  }
}
