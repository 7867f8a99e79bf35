package dev.tta.models.server.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Room in the heap for the requests being served, by the size of their bodies. A body is held
 * several times over while its request is served (the bytes read, their text, the JSON tree, the
 * conversation, the upstream's request body), so 32 clients sending 3 MB prompts at once needed
 * more than the gateway's 256 MB heap and ran it out of memory. A request whose body does not fit
 * beside those in flight waits for room, up to a limit, and is then refused with a 503 that says to
 * retry; small requests take almost nothing and never wait behind each other.
 */
final class BodyMemory {

  /** How many times a body is taken to be held over while its request is served. */
  static final int COPIES = 4;

  private static final long KIB = 1024;

  private final Semaphore kib;
  private final int totalKib;

  /**
   * @param budgetBytes the heap the bodies of requests in flight may take, copies included
   */
  BodyMemory(long budgetBytes) {
    if (budgetBytes < KIB) {
      throw new IllegalArgumentException("budgetBytes: must be at least 1 KiB, was " + budgetBytes);
    }
    this.totalKib = (int) Math.min(Integer.MAX_VALUE, budgetBytes / KIB);
    this.kib = new Semaphore(totalKib);
  }

  /** Half the heap the JVM may grow to: the rest is the gateway's own. */
  static BodyMemory halfTheHeap() {
    return new BodyMemory(Runtime.getRuntime().maxMemory() / 2);
  }

  /**
   * Takes room for a body of {@code bodyBytes}, waiting at most {@code wait}. A body larger than
   * the whole budget takes all of it, so that it is served alone rather than never.
   *
   * @return the room taken, in KiB, to give back with {@link #release}; 0 when there was none in
   *     time
   */
  int acquire(long bodyBytes, Duration wait) throws InterruptedException {
    int needed = needed(bodyBytes);
    return kib.tryAcquire(needed, wait.toNanos(), TimeUnit.NANOSECONDS) ? needed : 0;
  }

  void release(int taken) {
    kib.release(taken);
  }

  /** The budget, in MiB, for messages. */
  long budgetMib() {
    return totalKib / KIB;
  }

  int needed(long bodyBytes) {
    long copies = Math.multiplyExact(Math.max(0, bodyBytes), (long) COPIES);
    return (int) Math.max(1, Math.min(totalKib, Math.ceilDiv(copies, KIB)));
  }
}
