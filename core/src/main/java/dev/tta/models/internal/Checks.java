package dev.tta.models.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Constructor checks for records. Every message names the field and the rule it broke, so that a
 * bad configuration or request tells its author what to change.
 */
public final class Checks {

  private Checks() {}

  public static <T> T notNull(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": is required");
    }
    return value;
  }

  public static String notBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": must not be blank");
    }
    return value;
  }

  public static int positive(int value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + ": must be greater than 0, was " + value);
    }
    return value;
  }

  public static long positive(long value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + ": must be greater than 0, was " + value);
    }
    return value;
  }

  public static int notNegative(int value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": must not be negative, was " + value);
    }
    return value;
  }

  public static double notNegative(double value, String field) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          field + ": must be a finite number of at least 0, was " + value);
    }
    return value;
  }

  public static double inRange(double value, double min, double max, String field) {
    if (!Double.isFinite(value) || value < min || value > max) {
      throw new IllegalArgumentException(
          field + ": must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static OptionalDouble inRange(OptionalDouble value, double min, double max, String field) {
    notNull(value, field);
    value.ifPresent(v -> inRange(v, min, max, field));
    return value;
  }

  /** An immutable copy with no null elements. */
  public static <T> List<T> listOf(Collection<? extends T> values, String field) {
    notNull(values, field);
    int i = 0;
    for (T value : values) {
      if (value == null) {
        throw new IllegalArgumentException(field + "[" + i + "]: must not be null");
      }
      i++;
    }
    return List.copyOf(values);
  }

  /**
   * Capability-like labels: trimmed, lower-cased, non-blank, in a sorted immutable set (sorted so
   * that output listing them is stable).
   */
  public static Set<String> labels(Collection<String> values, String field) {
    notNull(values, field);
    TreeSet<String> normalised = new TreeSet<>();
    for (String value : values) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + ": must not contain a blank entry");
      }
      normalised.add(value.trim().toLowerCase(Locale.ROOT));
    }
    return Collections.unmodifiableSortedSet(normalised);
  }

  public static void require(boolean condition, String field, String rule) {
    if (!condition) {
      throw new IllegalArgumentException(field + ": " + rule);
    }
  }
}
