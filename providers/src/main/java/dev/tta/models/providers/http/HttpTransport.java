package dev.tta.models.providers.http;

import java.io.IOException;
import java.time.Duration;

/**
 * The thin seam between the provider clients and the network: one method to send a request and get
 * the response head, so that clients are tested against real local servers and, for failures that a
 * server cannot produce on demand, against a scripted transport.
 */
public interface HttpTransport extends AutoCloseable {

  /**
   * Sends a request and returns once the status line and headers have arrived. Once they have, a
   * failure of the body (a cut connection) is reported by reading the body, after every byte that
   * arrived before it.
   *
   * @param timeout the longest to wait for the response head, connecting included
   * @throws java.net.http.HttpTimeoutException when the head did not arrive in time
   * @throws java.net.ConnectException when no connection could be made
   * @throws IOException for any other failure on the way
   * @throws InterruptedException when the calling thread was interrupted
   */
  HttpReply send(HttpCall call, Duration timeout) throws IOException, InterruptedException;

  /** Closes every connection and stops every thread the transport started. Idempotent. */
  @Override
  void close();
}
