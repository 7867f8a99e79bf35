package dev.tta.models.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Configuration text as the tests write it: the problems it has, and examples taken from docs. */
final class ConfigText {

  private static final Path FOLDER = Path.of("/etc/mm");

  private ConfigText() {}

  static List<String> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  /** Every problem of the text, as the reader words them; fails when the text has none. */
  static List<String> problems(String yaml, Map<String, String> env) {
    try {
      new ConfigReader(env).parse(yaml, "test.yaml", FOLDER);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + yaml);
  }

  /** The first YAML code block after a heading of a Markdown file. */
  static String yamlAfter(Path markdown, String heading) throws IOException {
    String doc = Files.readString(markdown);
    int section = doc.indexOf(heading);
    if (section < 0) {
      throw new AssertionError(markdown + " has no heading '" + heading + "'");
    }
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }
}
