package dev.tta.models.server.config;

/**
 * One thing wrong with a configuration, at the place it was found.
 *
 * @param path where, written as in the file: {@code providers[2].base_url}, or empty for the file
 *     as a whole
 * @param message what rule was broken, naming the value where that helps
 */
public record ConfigProblem(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
