package dev.tta.models.catalog;

import dev.tta.models.internal.Checks;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * The name of one configured provider (for example {@code ollama} or {@code llamacpp}); it is the
 * prefix of a model key ({@code llamacpp/tiny-random}). Open: adding a provider adds no constant.
 */
public record ProviderId(String value) implements Comparable<ProviderId>, Serializable {

  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

  public ProviderId {
    Checks.notBlank(value, "provider id");
    Checks.require(
        SHAPE.matcher(value).matches(),
        "provider id",
        "must be lower-case letters, digits, '_', '.' or '-' and start with a letter or digit,"
            + " was '"
            + value
            + "'");
  }

  public static ProviderId of(String value) {
    return new ProviderId(value);
  }

  @Override
  public int compareTo(ProviderId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
