package dev.tta.models.providers.ollama;

import java.util.OptionalDouble;

/**
 * One line of a pull's progress: what Ollama is doing, and for a layer being downloaded its digest
 * and bytes done of total.
 *
 * @param status {@code pulling manifest}, {@code pulling <digest>}, {@code verifying sha256
 *     digest}, {@code writing manifest}, {@code success}...
 * @param digest the layer being downloaded, empty otherwise
 * @param totalBytes the layer's size, 0 when not downloading
 * @param completedBytes bytes of it downloaded so far
 */
public record PullProgress(String status, String digest, long totalBytes, long completedBytes) {

  /** The last line of a pull that succeeded. */
  public static final String SUCCESS = "success";

  /** The downloaded share of the current layer, between 0 and 1, when one is downloading. */
  public OptionalDouble fraction() {
    if (totalBytes <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.min(1.0, (double) completedBytes / totalBytes));
  }

  public boolean succeeded() {
    return SUCCESS.equals(status);
  }
}
