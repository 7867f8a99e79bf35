package dev.tta.models.providers.openai;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach one OpenAI-compatible server.
 *
 * @param providerId the provider the errors are reported for
 * @param baseUrl the API root including its version segment ({@code https://api.openai.com/v1},
 *     {@code http://127.0.0.1:8080/v1}); endpoints are resolved against it
 * @param apiKey sent in the {@code keyHeader} when present
 * @param headers extra headers sent with every request (attribution headers and the like)
 * @param tokenLimitField the field that carries the request's token limit
 * @param streamUsage whether a streamed request asks for usage ({@code stream_options:
 *     {include_usage: true}}); servers that always send usage ignore it
 * @param healthPath what {@code health()} asks for, resolved against the base URL: relative ({@code
 *     models}) under it, absolute ({@code /health}) from the server root
 * @param healthTimeout the longest a health check may take
 * @param catalogTimeout the longest a model listing may take
 * @param connectTimeout the longest to wait for a connection
 * @param keyHeader the header that carries the key
 */
public record OpenAiClientConfig(
    ProviderId providerId,
    URI baseUrl,
    Optional<Secret> apiKey,
    Map<String, String> headers,
    TokenLimitField tokenLimitField,
    boolean streamUsage,
    String healthPath,
    Duration healthTimeout,
    Duration catalogTimeout,
    Duration connectTimeout,
    KeyHeader keyHeader) {

  public static final TokenLimitField DEFAULT_TOKEN_LIMIT_FIELD = TokenLimitField.MAX_TOKENS;
  public static final boolean DEFAULT_STREAM_USAGE = true;
  public static final String DEFAULT_HEALTH_PATH = "models";
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CATALOG_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public OpenAiClientConfig {
    Checks.notNull(providerId, "provider_id");
    baseUrl = normaliseBaseUrl(baseUrl, "base_url");
    Checks.notNull(apiKey, "api_key");
    headers = headers(headers, "headers");
    Checks.notNull(tokenLimitField, "token_limit_field");
    healthPath(healthPath, "health_path");
    positive(healthTimeout, "health_timeout");
    positive(catalogTimeout, "catalog_timeout");
    positive(connectTimeout, "connect_timeout");
    Checks.notNull(keyHeader, "key_header");
  }

  public static Builder builder(ProviderId providerId, URI baseUrl) {
    return new Builder(providerId, baseUrl);
  }

  /**
   * An http(s) URL with a host and no query, ending in a slash so that relative endpoints resolve
   * under it.
   */
  public static URI normaliseBaseUrl(URI url, String field) {
    Checks.notNull(url, field);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    Checks.require(
        scheme.equals("http") || scheme.equals("https"),
        field,
        "must be an http or https URL, was '" + url + "'");
    Checks.require(url.getHost() != null, field, "must name a host, was '" + url + "'");
    Checks.require(
        url.getRawQuery() == null && url.getRawFragment() == null,
        field,
        "must not have a query or fragment, was '" + url + "'");
    Checks.require(url.getRawUserInfo() == null, field, "must not hold credentials; use api_key");
    String text = url.toString();
    return text.endsWith("/") ? url : URI.create(text + "/");
  }

  /** Header names and values that are safe to send: no line breaks, no reserved headers. */
  public static Map<String, String> headers(Map<String, String> headers, String field) {
    Checks.notNull(headers, field);
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = Checks.notBlank(header.getKey(), field + " name");
      Checks.require(
          name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"),
          field,
          "'" + name + "' is not a valid header name");
      String value = Checks.notNull(header.getValue(), field + "." + name);
      Checks.require(
          value.indexOf('\r') < 0 && value.indexOf('\n') < 0,
          field + "." + name,
          "must not contain a line break");
      Checks.require(
          !RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT)),
          field,
          "'" + name + "' is set by the client itself");
      copy.put(name, value);
    }
    return Map.copyOf(copy);
  }

  private static final Set<String> RESERVED_HEADERS =
      Set.of("authorization", "content-type", "accept", "content-length", "host", "connection");

  /** A path (relative to the base URL, or from the server root with a leading slash). */
  public static String healthPath(String path, String field) {
    Checks.notBlank(path, field);
    URI uri;
    try {
      uri = URI.create(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": is not a valid path, was '" + path + "'", e);
    }
    Checks.require(
        !uri.isAbsolute() && uri.getRawAuthority() == null,
        field,
        "must be a path, not a full address, was '" + path + "'");
    return path;
  }

  /** A duration above zero. */
  public static Duration positive(Duration duration, String field) {
    Checks.notNull(duration, field);
    Checks.require(
        !duration.isNegative() && !duration.isZero(), field, "must be positive, was " + duration);
    return duration;
  }

  /** Header values are left out: an attribution or gateway header can be a credential. */
  @Override
  public String toString() {
    return "OpenAiClientConfig[providerId="
        + providerId
        + ", baseUrl="
        + baseUrl
        + ", apiKey="
        + apiKey.map(Secret::toString).orElse("none")
        + ", headers="
        + headers.keySet()
        + ", tokenLimitField="
        + tokenLimitField
        + ", streamUsage="
        + streamUsage
        + ", healthPath="
        + healthPath
        + "]";
  }

  /** A builder holding every setting of this one. */
  public Builder toBuilder() {
    return new Builder(providerId, baseUrl)
        .apiKey(apiKey.orElse(null))
        .headers(headers)
        .tokenLimitField(tokenLimitField)
        .streamUsage(streamUsage)
        .healthPath(healthPath)
        .healthTimeout(healthTimeout)
        .catalogTimeout(catalogTimeout)
        .connectTimeout(connectTimeout)
        .keyHeader(keyHeader);
  }

  /** Defaults: see the {@code DEFAULT_*} constants; no key and no extra headers. */
  public static final class Builder {
    private final ProviderId providerId;
    private final URI baseUrl;
    private Optional<Secret> apiKey = Optional.empty();
    private Map<String, String> headers = Map.of();
    private TokenLimitField tokenLimitField = DEFAULT_TOKEN_LIMIT_FIELD;
    private boolean streamUsage = DEFAULT_STREAM_USAGE;
    private String healthPath = DEFAULT_HEALTH_PATH;
    private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    private Duration catalogTimeout = DEFAULT_CATALOG_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private KeyHeader keyHeader = KeyHeader.BEARER;

    private Builder(ProviderId providerId, URI baseUrl) {
      this.providerId = providerId;
      this.baseUrl = baseUrl;
    }

    public Builder apiKey(Secret apiKey) {
      this.apiKey = Optional.ofNullable(apiKey);
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    public Builder tokenLimitField(TokenLimitField tokenLimitField) {
      this.tokenLimitField = tokenLimitField;
      return this;
    }

    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    public Builder healthPath(String healthPath) {
      this.healthPath = healthPath;
      return this;
    }

    public Builder healthTimeout(Duration healthTimeout) {
      this.healthTimeout = healthTimeout;
      return this;
    }

    public Builder catalogTimeout(Duration catalogTimeout) {
      this.catalogTimeout = catalogTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder keyHeader(KeyHeader keyHeader) {
      this.keyHeader = keyHeader;
      return this;
    }

    public OpenAiClientConfig build() {
      return new OpenAiClientConfig(
          providerId,
          baseUrl,
          apiKey,
          headers,
          tokenLimitField,
          streamUsage,
          healthPath,
          healthTimeout,
          catalogTimeout,
          connectTimeout,
          keyHeader);
    }
  }
}
