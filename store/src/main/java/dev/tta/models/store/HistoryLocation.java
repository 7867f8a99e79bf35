package dev.tta.models.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the call history is kept: {@code storage.history} read. A SQLite file (the default, {@code
 * <data_dir>/mm.db}, or a path) or a PostgreSQL database named by a {@code postgresql://} URL.
 * {@link #toString()} never shows a password.
 */
public sealed interface HistoryLocation {

  /** The file name of the default SQLite database in the data directory. */
  String DEFAULT_FILE = "mm.db";

  /** What {@code storage.history} holds when it is not given. */
  String DEFAULT = "sqlite";

  /** A SQLite database file. */
  record Sqlite(Path file) implements HistoryLocation {
    @Override
    public String toString() {
      return "sqlite " + file;
    }
  }

  /**
   * A PostgreSQL database.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database} with the URL's query, no
   *     credentials
   * @param password empty when the URL has none (the driver then reads {@code PGPASSWORD} and
   *     {@code ~/.pgpass}, as psql does)
   */
  record Postgres(String jdbcUrl, Optional<String> user, Optional<String> password, String shown)
      implements HistoryLocation {
    @Override
    public String toString() {
      return shown;
    }
  }

  /**
   * Reads a {@code storage.history} value.
   *
   * @param folder where a relative path is taken from (the configuration file's folder)
   * @throws IllegalArgumentException saying what is wrong, never repeating a password
   */
  static HistoryLocation parse(String value, Path dataDirectory, Path folder) {
    String text = value.trim();
    if (text.isEmpty() || text.equalsIgnoreCase(DEFAULT)) {
      return new Sqlite(dataDirectory.resolve(DEFAULT_FILE));
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return postgres(text);
    }
    if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "must be sqlite, a file path, or a postgresql:// URL; the scheme '"
              + text.substring(0, text.indexOf(':'))
              + "' is not supported");
    }
    try {
      return new Sqlite(folder.resolve(text).normalize());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("is not a valid file path: " + e.getReason());
    }
  }

  private static Postgres postgres(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "is not a valid postgresql:// URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "a postgresql:// URL needs a host, as in postgresql://user@host:5432/database");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException(
          "a postgresql:// URL needs one database name after the host, as in"
              + " postgresql://user@host:5432/database");
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("the port must be between 1 and 65535, was " + port);
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user =
          Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)))
              .filter(name -> !name.isEmpty());
      if (colon >= 0) {
        password = Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }
    // an IPv6 host comes with its brackets, as the URL needs it
    String hostPort = host + ":" + port;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbcUrl = "jdbc:postgresql://" + hostPort + "/" + path + query;
    String shown =
        "postgresql://" + user.map(u -> u + "@").orElse("") + hostPort + "/" + path + query;
    return new Postgres(jdbcUrl, user, password, shown);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
