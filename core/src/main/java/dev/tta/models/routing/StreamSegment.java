package dev.tta.models.routing;

import dev.tta.models.chat.ChatChunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream stream that a routed stream reads: the first one, or one that continues it after a
 * break. It holds the chunks read ahead while it was opened (up to and including the first one with
 * output) and what it has contributed since.
 */
final class StreamSegment {

  /** How a segment came to be. */
  enum Origin {
    /** The request as the caller sent it. */
    FIRST("first"),
    /** The request with the text so far as a final assistant message to continue from. */
    PREFIX("continued from the text so far"),
    /** The request again, its regenerated text checked against what was delivered. */
    RESTART("restarted, the regenerated text matching what was delivered");

    private final String description;

    Origin(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  private final AttemptScope scope;
  private final WatchedStream stream;
  private final Deque<ChatChunk> buffered;
  private final Duration timeToFirstToken;
  private final Origin origin;
  private final StringBuilder text = new StringBuilder();
  private final AtomicBoolean attemptSettled = new AtomicBoolean();
  private boolean ended;

  StreamSegment(
      AttemptScope scope,
      WatchedStream stream,
      List<ChatChunk> buffered,
      boolean ended,
      Duration timeToFirstToken,
      Origin origin) {
    this.scope = scope;
    this.stream = stream;
    this.buffered = new ArrayDeque<>(buffered);
    this.ended = ended;
    this.timeToFirstToken = timeToFirstToken;
    this.origin = origin;
  }

  AttemptScope scope() {
    return scope;
  }

  WatchedStream stream() {
    return stream;
  }

  Deque<ChatChunk> buffered() {
    return buffered;
  }

  Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  Origin origin() {
    return origin;
  }

  /** The text this segment added to the answer. */
  StringBuilder text() {
    return text;
  }

  boolean ended() {
    return ended;
  }

  void end() {
    ended = true;
  }

  /**
   * Claims the recording of this segment's attempt (as served, failed or cancelled): true for the
   * one caller that gets to record it, so that a close racing a break records it once.
   */
  boolean settleAttempt() {
    return attemptSettled.compareAndSet(false, true);
  }
}
