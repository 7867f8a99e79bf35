package dev.tta.models.providers.http;

import dev.tta.models.internal.Checks;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request, as a client describes it to its {@link HttpTransport}.
 *
 * @param method {@code GET} or {@code POST}
 * @param uri the absolute address
 * @param headers request headers; values may hold credentials, so this record never prints them
 * @param body the request body, empty for none
 */
public record HttpCall(String method, URI uri, Map<String, String> headers, byte[] body) {

  public HttpCall {
    Checks.notBlank(method, "method");
    Checks.notNull(uri, "uri");
    Checks.require(uri.isAbsolute(), "uri", "must be absolute, was " + uri);
    headers = Map.copyOf(new LinkedHashMap<>(Checks.notNull(headers, "headers")));
    body = Checks.notNull(body, "body").clone();
  }

  public static HttpCall get(URI uri, Map<String, String> headers) {
    return new HttpCall("GET", uri, headers, new byte[0]);
  }

  public static HttpCall post(URI uri, Map<String, String> headers, byte[] body) {
    return new HttpCall("POST", uri, headers, body);
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpCall call
        && call.method.equals(method)
        && call.uri.equals(uri)
        && call.headers.equals(headers)
        && Arrays.equals(call.body, body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, uri, headers, Arrays.hashCode(body));
  }

  /** Method and address only: header values can be credentials. */
  @Override
  public String toString() {
    return method + " " + uri;
  }
}
