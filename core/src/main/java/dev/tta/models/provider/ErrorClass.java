package dev.tta.models.provider;

import java.util.Locale;

/**
 * The class of a failed call: what fallback decisions switch on and what measurements are labelled
 * with. One per {@link ProviderException} subtype.
 */
public enum ErrorClass {
  AUTHENTICATION,
  RATE_LIMITED,
  CONTEXT_LENGTH_EXCEEDED,
  MODEL_NOT_FOUND,
  CONTENT_FILTERED,
  INVALID_REQUEST,
  TIMEOUT,
  UNAVAILABLE,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
