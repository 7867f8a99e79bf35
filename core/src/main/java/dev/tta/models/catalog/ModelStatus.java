package dev.tta.models.catalog;

import java.util.Locale;

/** The state of a model on its provider, as in the original. */
public enum ModelStatus {
  UNKNOWN,
  AVAILABLE,
  LOADING,
  READY,
  BUSY,
  ERROR,
  OFFLINE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
