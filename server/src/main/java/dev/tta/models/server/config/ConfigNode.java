package dev.tta.models.server.config;

import dev.tta.models.routing.AttemptTimeouts;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A place in the YAML tree with its path, read by typed getters that report what is wrong (with the
 * path) to a shared problem list instead of throwing, so that one pass finds every problem. Every
 * scalar goes through {@link Interpolation} first, which is why numbers may come from variables.
 */
final class ConfigNode {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private final JsonNode node;
  private final String path;
  private final Map<String, String> env;
  private final List<ConfigProblem> problems;

  ConfigNode(JsonNode node, String path, Map<String, String> env, List<ConfigProblem> problems) {
    this.node = node;
    this.path = path;
    this.env = env;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  boolean isPresent() {
    return node != null && !node.isMissingNode() && !node.isNull();
  }

  ConfigNode get(String key) {
    JsonNode child = isPresent() && node.isObject() ? node.get(key) : null;
    // an empty key would vanish from the path, and a problem at it would seem to be the file's
    String name = key.isEmpty() ? "''" : key;
    return new ConfigNode(child, path.isEmpty() ? name : path + "." + name, env, problems);
  }

  void problem(String message) {
    problems.add(new ConfigProblem(path, message));
  }

  /** Reports every key of this mapping that is not one of {@code known}. */
  void allowOnly(Set<String> known) {
    if (!isPresent() || !node.isObject()) {
      return;
    }
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        get(key).problem("unknown key; expected one of " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** True when this node is present and a mapping. */
  boolean isObject() {
    return isPresent() && node.isObject();
  }

  /** True when this node is a mapping or absent; otherwise reports it. */
  boolean isMapping() {
    if (isPresent() && !node.isObject()) {
      problem("must be a mapping of keys to values");
      return false;
    }
    return true;
  }

  /** The mapping's entries in file order; empty (and reported) when this is not a mapping. */
  Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (isPresent() && isMapping()) {
      for (String key : node.propertyNames()) {
        out.put(key, get(key));
      }
    }
    return out;
  }

  /** The sequence's items; empty (and reported) when this is not a sequence. */
  List<ConfigNode> items() {
    List<ConfigNode> out = new ArrayList<>();
    if (!isPresent()) {
      return out;
    }
    if (!node.isArray()) {
      problem("must be a list");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new ConfigNode(node.get(i), path + "[" + i + "]", env, problems));
    }
    return out;
  }

  Optional<String> text() {
    if (!isPresent()) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      problem("must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
      return Optional.empty();
    }
    return Optional.of(Interpolation.apply(node.asString(), env, this::problem).trim());
  }

  /** A text that must be present and not blank. */
  Optional<String> requiredText() {
    Optional<String> value = text();
    if (!isPresent()) {
      problem("is required");
    } else if (value.isPresent() && value.get().isEmpty()) {
      problem("must not be empty");
      return Optional.empty();
    }
    return value.filter(v -> !v.isEmpty());
  }

  List<String> texts() {
    if (isPresent() && node.isValueNode()) {
      return text().map(List::of).orElse(List.of());
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : items()) {
      item.text().filter(v -> !v.isEmpty()).ifPresent(out::add);
    }
    return out;
  }

  Optional<Integer> integer(long min, long max) {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed < min || parsed > max) {
        problem("must be between " + min + " and " + max + ", was " + parsed);
        return Optional.empty();
      }
      return Optional.of((int) parsed);
    } catch (NumberFormatException e) {
      problem("must be a whole number, was '" + value.get() + "'");
      return Optional.empty();
    }
  }

  Optional<Double> number() {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      double parsed = Double.parseDouble(value.get());
      if (!Double.isFinite(parsed)) {
        problem("must be a finite number, was '" + value.get() + "'");
        return Optional.empty();
      }
      return Optional.of(parsed);
    } catch (NumberFormatException e) {
      problem("must be a number, was '" + value.get() + "'");
      return Optional.empty();
    }
  }

  Optional<Boolean> bool() {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> Optional.of(true);
      case "false", "no", "off", "0" -> Optional.of(false);
      default -> {
        problem("must be true or false, was '" + value.get() + "'");
        yield Optional.empty();
      }
    };
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}, or ISO-8601 ({@code PT30S});
   * positive.
   */
  Optional<Duration> duration() {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Duration parsed = parseDuration(value.get());
    if (parsed == null || parsed.isZero() || parsed.isNegative()) {
      problem(
          "must be a positive duration such as 500ms, 30s, 5m or 1h, was '" + value.get() + "'");
      return Optional.empty();
    }
    return Optional.of(parsed);
  }

  /**
   * A duration as {@link #duration()} reads it, or {@code none} for no limit of its own ({@link
   * AttemptTimeouts#NO_LIMIT}).
   */
  Optional<Duration> limit() {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get().equalsIgnoreCase("none")) {
      return Optional.of(AttemptTimeouts.NO_LIMIT);
    }
    Duration parsed = parseDuration(value.get());
    if (parsed == null || parsed.isZero() || parsed.isNegative()) {
      problem(
          "must be a positive duration such as 500ms, 30s, 5m or 1h, or none, was '"
              + value.get()
              + "'");
      return Optional.empty();
    }
    return Optional.of(parsed);
  }

  private static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double millis =
          switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 86_400_000;
          };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** An absolute http(s) URL. */
  Optional<URI> httpUrl() {
    Optional<String> value = text().filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.get());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.isAbsolute()
          && (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below with the rule, which says more than the parser's message
    }
    problem("not an absolute http(s) URL: '" + value.get() + "'");
    return Optional.empty();
  }

  /** Runs a check that throws {@link IllegalArgumentException}, reporting its message here. */
  <T> Optional<T> attempt(Supplier<T> check) {
    try {
      return Optional.ofNullable(check.get());
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      String key = path.substring(path.lastIndexOf('.') + 1);
      problem(message.startsWith(key + ": ") ? message.substring(key.length() + 2) : message);
      return Optional.empty();
    }
  }

  /** The value as written (no interpolation, nothing reported), for cross-checks such as names. */
  Optional<String> written() {
    return isPresent() && node.isValueNode()
        ? Optional.of(node.asString().trim())
        : Optional.empty();
  }
}
