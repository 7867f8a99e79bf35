package dev.tta.models.providers.openrouter;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.spi.NamedSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of an {@code openrouter} provider. Validated on construction: a bad value is
 * refused with a message naming its configuration key.
 *
 * @param connection {@code base_url} (default {@link #DEFAULT_BASE_URL}), {@code api_key}
 *     (required: OpenRouter answers chats without one with 401), {@code headers}, timeouts and the
 *     other keys of {@link OpenAiClientConfig}
 * @param siteUrl {@code site_url}: sent as {@code HTTP-Referer}, OpenRouter's app attribution
 * @param appName {@code app_name}: sent as {@code X-Title}
 * @param filter {@code show_free_only}, {@code prefer_free}, {@code max_cost_per_token}: the
 *     initial filter, changeable at run time
 */
public record OpenRouterSettings(
    OpenAiClientConfig connection,
    Optional<URI> siteUrl,
    Optional<String> appName,
    OpenRouterFilter filter)
    implements NamedSettings {

  public static final URI DEFAULT_BASE_URL = URI.create("https://openrouter.ai/api/v1/");

  static final String REFERER_HEADER = "HTTP-Referer";
  static final String TITLE_HEADER = "X-Title";

  public OpenRouterSettings {
    Checks.notNull(connection, "connection");
    Checks.require(connection.apiKey().isPresent(), "api_key", "is required for OpenRouter");
    Checks.notNull(siteUrl, "site_url");
    siteUrl.ifPresent(
        url ->
            Checks.require(
                url.isAbsolute()
                    && ("http".equals(url.getScheme()) || "https".equals(url.getScheme())),
                "site_url",
                "must be an absolute http or https URL, was '" + url + "'"));
    Checks.notNull(appName, "app_name");
    appName.ifPresent(name -> Checks.notBlank(name, "app_name"));
    Checks.notNull(filter, "filter");
  }

  public static Builder builder(OpenAiClientConfig connection) {
    return new Builder(connection);
  }

  @Override
  public ProviderId id() {
    return connection.providerId();
  }

  /** The connection with the attribution headers added to the configured ones. */
  public OpenAiClientConfig clientConfig() {
    Map<String, String> headers = new LinkedHashMap<>(connection.headers());
    siteUrl.ifPresent(url -> headers.put(REFERER_HEADER, url.toString()));
    appName.ifPresent(name -> headers.put(TITLE_HEADER, name));
    return connection.toBuilder().headers(headers).build();
  }

  /** Defaults: no attribution, {@link OpenRouterFilter#NONE}. */
  public static final class Builder {
    private final OpenAiClientConfig connection;
    private Optional<URI> siteUrl = Optional.empty();
    private Optional<String> appName = Optional.empty();
    private OpenRouterFilter filter = OpenRouterFilter.NONE;

    private Builder(OpenAiClientConfig connection) {
      this.connection = connection;
    }

    public Builder siteUrl(URI siteUrl) {
      this.siteUrl = Optional.ofNullable(siteUrl);
      return this;
    }

    public Builder appName(String appName) {
      this.appName = Optional.ofNullable(appName);
      return this;
    }

    public Builder filter(OpenRouterFilter filter) {
      this.filter = filter;
      return this;
    }

    public OpenRouterSettings build() {
      return new OpenRouterSettings(connection, siteUrl, appName, filter);
    }
  }
}
