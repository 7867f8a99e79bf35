package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.time.TimeSource;

/**
 * Builds {@link CustomApiProvider}s. The settings were validated when they were built, so a
 * provider is either fully working or never made.
 */
public final class CustomApiProviderFactory {

  public static final ProviderType TYPE = ProviderType.CUSTOM_API;

  private CustomApiProviderFactory() {}

  /** A provider over the JDK's HTTP client, on the system clock. */
  public static CustomApiProvider create(CustomApiSettings settings) {
    Checks.notNull(settings, "settings");
    return create(
        settings,
        new JettyHttpTransport(settings.connection().connectTimeout()),
        TimeSource.system());
  }

  /** A provider over the given transport (which it then owns and closes) and clock. */
  public static CustomApiProvider create(
      CustomApiSettings settings, HttpTransport transport, TimeSource time) {
    Checks.notNull(settings, "settings");
    return new CustomApiProvider(
        settings, new OpenAiClient(settings.connection(), transport, time));
  }
}
