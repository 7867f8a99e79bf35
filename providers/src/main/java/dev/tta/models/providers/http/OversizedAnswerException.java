package dev.tta.models.providers.http;

import java.io.IOException;

/**
 * An upstream's answer, or one event of its stream, larger than {@link HttpReply#MAX_HELD_BYTES}:
 * not read further, so that a server that sends without end cannot fill the gateway's memory. The
 * call fails as the server's fault, and routing moves on to another model.
 */
public final class OversizedAnswerException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * @param what what was too large, as the message's subject ("the answer's body")
   */
  public OversizedAnswerException(String what) {
    super(
        what
            + " is larger than "
            + (HttpReply.MAX_HELD_BYTES >> 20)
            + " MiB, more than any chat answer: not read further");
  }
}
