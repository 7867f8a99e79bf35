package dev.tta.models.providers.openrouter;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.time.TimeSource;

/** Builds {@link OpenRouterProvider}s from validated settings. */
public final class OpenRouterProviderFactory {

  public static final ProviderType TYPE = ProviderType.OPENROUTER;

  private OpenRouterProviderFactory() {}

  /** A provider over the JDK's HTTP client, on the system clock. */
  public static OpenRouterProvider create(OpenRouterSettings settings) {
    Checks.notNull(settings, "settings");
    return create(
        settings,
        new JettyHttpTransport(settings.connection().connectTimeout()),
        TimeSource.system());
  }

  /** A provider over the given transport (which it then owns and closes) and clock. */
  public static OpenRouterProvider create(
      OpenRouterSettings settings, HttpTransport transport, TimeSource time) {
    Checks.notNull(settings, "settings");
    return new OpenRouterProvider(
        settings, new OpenAiClient(settings.clientConfig(), transport, time));
  }
}
