package dev.tta.models.providers.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that leaves the client (exception messages, health details, logs).
 * Servers echo keys back in their errors (OpenAI's 401 says {@code Incorrect API key provided:
 * <key>}), so the configured secrets are removed wherever they occur, and so is anything that looks
 * like a key even when it is not ours.
 */
public final class Redactor {

  /**
   * Text that looks like a key: {@code sk-...}, {@code Bearer ...}, or what follows "API key
   * provided:".
   */
  private static final Pattern KEY_LIKE =
      Pattern.compile(
          "(?i)(api key provided: ?)\\S+|\\b(bearer )[A-Za-z0-9._~+/=-]+|\\bsk-[A-Za-z0-9_*-]{4,}");

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor for these secrets (and for key-like text in general). */
  public static Redactor of(Collection<Secret> secrets) {
    List<String> values = new ArrayList<>();
    for (Secret secret : secrets) {
      values.add(secret.reveal());
    }
    return new Redactor(List.copyOf(values));
  }

  public String redact(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, Secret.MASK);
    }
    Matcher matcher = KEY_LIKE.matcher(result);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String prefix = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      matcher.appendReplacement(
          out, Matcher.quoteReplacement((prefix == null ? "" : prefix) + Secret.MASK));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
