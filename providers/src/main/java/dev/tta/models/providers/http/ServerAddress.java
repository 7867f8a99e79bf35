package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Reads a server address as local model servers' variables give it ({@code OLLAMA_HOST}, {@code
 * LMSTUDIO_HOST}): a bare host, {@code host:port}, or a whole http(s) URL. A missing scheme means
 * http and a missing port the server's default.
 */
public final class ServerAddress {

  private ServerAddress() {}

  /**
   * The server's root URL, ending in a slash.
   *
   * @param value the variable's value
   * @param defaultPort the server's usual port
   * @param field the variable's name, for the error
   * @throws IllegalArgumentException naming the field when the value is no address
   */
  public static URI parse(String value, int defaultPort, String field) {
    Checks.notBlank(value, field);
    String text = value.strip();
    boolean hasScheme = text.contains("://");
    URI uri;
    try {
      uri = new URI(hasScheme ? text : "http://" + text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + ": is not a host or URL, was '" + value + "'", e);
    }
    String scheme = uri.getScheme();
    Checks.require(
        "http".equals(scheme) || "https".equals(scheme),
        field,
        "must be an http or https address, was '" + value + "'");
    Checks.require(uri.getHost() != null, field, "must name a host, was '" + value + "'");
    int port = uri.getPort() == -1 && !hasScheme ? defaultPort : uri.getPort();
    String path = uri.getRawPath();
    try {
      return new URI(
          scheme, null, uri.getHost(), port, path.endsWith("/") ? path : path + "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + ": is not a host or URL, was '" + value + "'", e);
    }
  }
}
