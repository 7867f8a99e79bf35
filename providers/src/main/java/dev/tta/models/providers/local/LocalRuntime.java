package dev.tta.models.providers.local;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * llama.cpp's native library, loaded once per process, and where its log goes.
 *
 * <p>llama.cpp prints about 150 lines to standard error while it loads a model, and the binding
 * replaces the log callback it was given while doing so. So a model is loaded with llama.cpp's log
 * switched off (or, {@linkplain LlamaCppLog#verbose() when verbose}, on, printed as llama.cpp
 * prints it), and the callback is set again after each load: from then on llama.cpp's log lines go
 * to the JDK logger under this class's name at their own level (llama.cpp writes much at debug
 * level, which then stays quiet unless asked for).
 */
final class LocalRuntime {

  private static final Logger LOG = System.getLogger(LocalRuntime.class.getName());
  private static final String FAILURE = load();

  private LocalRuntime() {}

  private static String load() {
    // the binding announces its library's extraction on standard output, which is the gateway's
    // banner and a command's answer: that line goes to the log instead
    PrintStream out = System.out;
    ByteArrayOutputStream announced = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(announced, true, StandardCharsets.UTF_8));
      attachLogger();
      return null;
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.WARNING, "llama.cpp's native library cannot be loaded: " + e, e);
      return e.toString();
    } finally {
      System.setOut(out);
      String text = announced.toString(StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        LOG.log(Level.DEBUG, text);
      }
    }
  }

  /** Sends llama.cpp's log lines to the JDK logger; loading a model undoes this. */
  private static void attachLogger() {
    LlamaModel.setLogger(LogFormat.TEXT, LocalRuntime::log);
  }

  /** After a model's load (or its failure), when the native library is there at all. */
  static void reattachLogger() {
    if (available()) {
      attachLogger();
    }
  }

  /** The parameters every model is loaded with: llama.cpp's own log off unless verbose. */
  static ModelParameters parameters() {
    ModelParameters parameters = new ModelParameters();
    return LlamaCppLog.verbose() ? parameters : parameters.disableLog();
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
