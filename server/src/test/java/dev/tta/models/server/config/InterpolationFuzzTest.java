package dev.tta.models.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes {@code ${VAR}}, {@code ${VAR:-default}} and {@code $${} in configuration values.
 *
 * <p>Property: for any text, {@link Interpolation#apply} returns without an exception, and its
 * result and its problems are exactly those of a second reading of the rules written with a
 * regular expression instead of a scan: {@code $${} is a literal {@code ${}; a reference is
 * replaced by the variable's value, by its default when the variable is unset or empty, or by
 * nothing with a problem naming the variable (unset, no default) or quoting the reference (not a
 * name); an unclosed {@code ${} ends the text with a problem. Text without {@code $} is returned
 * as it is.
 */
class InterpolationFuzzTest {

  private static final Map<String, String> ENV =
      Map.of("HOST", "gpu-box", "EMPTY", "", "NESTED", "${HOST}", "_U2", "x:-y");

  private static final Pattern TOKEN = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}|\\$\\{[^}]*\\z");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @FuzzTest
  void configValue(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();

    String result = Interpolation.apply(text, ENV, problems::add);

    List<String> expectedProblems = new ArrayList<>();
    assertThat(result).isEqualTo(expected(text, expectedProblems));
    assertThat(problems).isEqualTo(expectedProblems);
    if (text.indexOf('$') < 0) {
      assertThat(result).isSameAs(text);
    }
  }

  private static String expected(String text, List<String> problems) {
    StringBuilder out = new StringBuilder();
    Matcher token = TOKEN.matcher(text);
    int copied = 0;
    while (token.find()) {
      out.append(text, copied, token.start());
      copied = token.end();
      String found = token.group();
      if (found.equals("$${")) {
        out.append("${");
      } else if (token.group(1) == null) {
        problems.add("'${' without a closing '}'");
        return out.toString();
      } else {
        out.append(reference(token.group(1), problems));
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static String reference(String inside, List<String> problems) {
    String[] nameAndDefault = inside.split(":-", 2);
    String name = nameAndDefault[0];
    if (!NAME.matcher(name).matches()) {
      problems.add("'${" + inside + "}' is not a variable reference (${NAME} or ${NAME:-default})");
      return "";
    }
    String value = ENV.getOrDefault(name, "");
    if (!value.isEmpty()) {
      return value;
    }
    if (nameAndDefault.length == 2) {
      return nameAndDefault[1];
    }
    problems.add(
        "environment variable "
            + name
            + " is not set (write ${"
            + name
            + ":-} to make it optional)");
    return "";
  }
}
