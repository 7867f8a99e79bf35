package dev.tta.models.providers.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * llama.cpp's native library, loaded once per process. Its log lines go to the JDK's logger under
 * this class's name at their own level (llama.cpp writes much at debug level, which then stays
 * quiet) instead of to standard error.
 */
final class LocalRuntime {

  private static final Logger LOG = System.getLogger(LocalRuntime.class.getName());
  private static final String FAILURE = load();

  private LocalRuntime() {}

  private static String load() {
    try {
      LlamaModel.setLogger(LogFormat.TEXT, LocalRuntime::log);
      return null;
    } catch (LinkageError | RuntimeException e) {
      return e.toString();
    }
  }

  private static void log(LogLevel level, String message) {
    Level jdk =
        switch (level) {
          case DEBUG -> Level.DEBUG;
          case INFO -> Level.DEBUG;
          case WARN -> Level.WARNING;
          case ERROR -> Level.ERROR;
        };
    LOG.log(jdk, message.strip());
  }

  static boolean available() {
    return FAILURE == null;
  }

  static String failure() {
    return FAILURE == null ? "" : FAILURE;
  }
}
