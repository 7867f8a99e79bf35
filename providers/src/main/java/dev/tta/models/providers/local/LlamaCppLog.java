package dev.tta.models.providers.local;

/**
 * Whether llama.cpp prints its own log while it loads a model (about 150 lines on standard error
 * per model: metadata, tensors, buffers). Off by default; {@code mm --verbose} turns it on. It is
 * one switch for the process, as llama.cpp's log is.
 */
public final class LlamaCppLog {

  private static volatile boolean verbose;

  private LlamaCppLog() {}

  public static boolean verbose() {
    return verbose;
  }

  /** Applies to models loaded from now on. */
  public static void verbose(boolean on) {
    verbose = on;
  }
}
