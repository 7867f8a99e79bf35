package dev.tta.models.server.telemetry;

import dev.tta.models.chat.Usage;
import java.util.Optional;

/**
 * The trace of one gateway request, current on the thread that serves it while it is open, so that
 * the routing events of the request become its children. Closing it ends it.
 */
public interface RequestSpan extends AutoCloseable {

  /** When tracing is off: does nothing. */
  RequestSpan NONE =
      new RequestSpan() {
        @Override
        public void finish(int status, String served, String outcome, Optional<Usage> usage) {}

        @Override
        public void close() {}
      };

  /**
   * What came of the request; only the first call counts.
   *
   * @param status the HTTP status answered
   * @param served the model that answered, empty when none did
   * @param outcome {@code success}, {@code cancelled} or the error class that ended it
   * @param usage the answer's tokens, when there was an answer
   */
  void finish(int status, String served, String outcome, Optional<Usage> usage);

  @Override
  void close();
}
