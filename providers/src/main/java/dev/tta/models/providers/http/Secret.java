package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.util.Objects;

/**
 * A credential (an API key or token). Its text is read only where it goes on the wire; {@link
 * #toString()} never shows it, so a secret that ends up in a log line, an exception or a record's
 * printout stays hidden.
 */
public final class Secret {

  /** What {@link #toString()} prints instead of the value. */
  public static final String MASK = "[redacted]";

  private final String value;

  private Secret(String value) {
    this.value = Checks.notBlank(value, "secret");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret's text, for the one place that sends it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return MASK;
  }
}
