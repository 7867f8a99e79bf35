package dev.tta.models.providers.local.gguf;

import java.nio.file.Path;

/** A file that is not a readable GGUF model; the message names the file and the fault. */
public final class GgufException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public GgufException(Path path, String fault, Throwable cause) {
    super(path + ": " + fault, cause);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
