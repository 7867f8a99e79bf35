package dev.tta.models.server.config;

import java.time.Duration;

/**
 * The {@code server} section.
 *
 * @param host {@code host}: the address to listen on
 * @param port {@code port}: 0 picks a free port
 * @param maxBodyBytes {@code max_body_bytes}: the largest request body accepted (413 above it)
 * @param shutdownTimeout {@code shutdown_timeout}: how long a stop waits for requests in flight
 */
public record ServerSettings(String host, int port, long maxBodyBytes, Duration shutdownTimeout) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /** Room for a long conversation with tool definitions; a chat request is rarely above 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** Long enough for most generations in flight to finish, short enough for a deploy. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  public static ServerSettings defaults() {
    return new ServerSettings(
        DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_TIMEOUT);
  }

  public ServerSettings withPort(int port) {
    return new ServerSettings(host, port, maxBodyBytes, shutdownTimeout);
  }

  public ServerSettings withHost(String host) {
    return new ServerSettings(host, port, maxBodyBytes, shutdownTimeout);
  }

  /** True when only this machine can connect. */
  public boolean loopbackOnly() {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }
}
