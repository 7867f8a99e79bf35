package dev.tta.models.providers.http;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * The characters of a streamed body, at most {@link HttpReply#MAX_HELD_BYTES} of them for each
 * event: a line reader buffers a line whole before it returns it, so a server that sends one line
 * without end would otherwise fill the heap. A reader of events calls {@link #nextEvent()} before
 * each one; what a buffered reader reads ahead of the event counts against it, which only moves the
 * limit by that buffer's size.
 */
public final class EventSizeLimit extends FilterReader {

  private long left;

  public EventSizeLimit(Reader in) {
    super(in);
    nextEvent();
  }

  /** Gives the next event the whole allowance. */
  public void nextEvent() {
    left = HttpReply.MAX_HELD_BYTES;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      spend(1);
    }
    return c;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int read = super.read(buffer, offset, length);
    if (read > 0) {
      spend(read);
    }
    return read;
  }

  private void spend(int chars) throws OversizedAnswerException {
    left -= chars;
    if (left < 0) {
      throw new OversizedAnswerException("an event of the stream");
    }
  }
}
