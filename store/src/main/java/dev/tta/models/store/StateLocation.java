package dev.tta.models.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where routing state is shared: {@code storage.state} read. {@code memory} (each process alone) or
 * a Redis server, {@code redis://[user:password@]host:port/db} ({@code rediss://} for TLS). {@link
 * #toString()} never shows a password.
 */
public sealed interface StateLocation {

  String DEFAULT = "memory";

  /** This process's memory: nothing shared. */
  record Memory() implements StateLocation {
    @Override
    public String toString() {
      return "memory";
    }
  }

  /**
   * A Redis server.
   *
   * @param uri the URL as given, for the client (it holds the password, if any)
   * @param database the database index, which also names the channel replicas talk on
   */
  record Redis(String uri, int database, String shown) implements StateLocation {
    @Override
    public String toString() {
      return shown;
    }
  }

  /**
   * Reads a {@code storage.state} value.
   *
   * @throws IllegalArgumentException saying what is wrong, never repeating a password
   */
  static StateLocation parse(String value) {
    String text = value.trim();
    if (text.isEmpty() || text.equalsIgnoreCase(DEFAULT)) {
      return new Memory();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
      throw new IllegalArgumentException("must be memory, or a redis:// or rediss:// URL");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "is not a valid redis:// URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("a redis:// URL needs a host, as in redis://host:6379/0");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
    int database;
    if (path.isEmpty()) {
      database = 0;
    } else if (path.matches("\\d{1,5}")) {
      database = Integer.parseInt(path);
    } else {
      throw new IllegalArgumentException(
          "the path of a redis:// URL is the database number, as in redis://host:6379/0");
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 1 and 65535, was " + port);
    }
    // redis://password@host and redis://user:password@host: only a user name may be shown
    String userInfo = uri.getRawUserInfo();
    String user = "";
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = colon < 0 ? "***@" : userInfo.substring(0, colon) + ":***@";
    }
    String shown =
        uri.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + user
            + uri.getHost()
            + ":"
            + port
            + "/"
            + database;
    return new Redis(text, database, shown);
  }
}
