package dev.tta.models.server.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Environment variables in configuration values: {@code ${VAR}} is the variable's value and must be
 * set; {@code ${VAR:-default}} is the default when the variable is unset or empty; {@code $${} is a
 * literal {@code ${}. The shell's syntax, so that a value reads the same in a compose file.
 */
final class Interpolation {

  private Interpolation() {}

  /**
   * The text with every reference replaced; a reference to an unset variable without a default, or
   * one left unclosed, is reported to {@code problems} and replaced by nothing.
   */
  static String apply(String text, Map<String, String> env, Consumer<String> problems) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          problems.accept("'${' without a closing '}'");
          return out.toString();
        }
        out.append(resolve(text.substring(i + 2, end), env, problems));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String resolve(
      String reference, Map<String, String> env, Consumer<String> problems) {
    int dash = reference.indexOf(":-");
    String name = dash < 0 ? reference : reference.substring(0, dash);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problems.accept(
          "'${" + reference + "}' is not a variable reference (${NAME} or ${NAME:-default})");
      return "";
    }
    Optional<String> value = Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    if (value.isPresent()) {
      return value.get();
    }
    if (dash >= 0) {
      return reference.substring(dash + 2);
    }
    problems.accept(
        "environment variable "
            + name
            + " is not set (write ${"
            + name
            + ":-} to make it optional)");
    return "";
  }
}
