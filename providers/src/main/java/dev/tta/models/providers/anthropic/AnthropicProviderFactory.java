package dev.tta.models.providers.anthropic;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.time.TimeSource;

/** Builds {@link AnthropicProvider}s from validated settings. */
public final class AnthropicProviderFactory {

  public static final ProviderType TYPE = ProviderType.ANTHROPIC;

  private AnthropicProviderFactory() {}

  /** A provider over the JDK's HTTP client, on the system clock. */
  public static AnthropicProvider create(AnthropicSettings settings) {
    Checks.notNull(settings, "settings");
    return create(
        settings,
        new JettyHttpTransport(settings.connection().connectTimeout()),
        TimeSource.system());
  }

  /** A provider over the given transport (which it then owns and closes) and clock. */
  public static AnthropicProvider create(
      AnthropicSettings settings, HttpTransport transport, TimeSource time) {
    Checks.notNull(settings, "settings");
    return new AnthropicProvider(
        settings, new OpenAiClient(settings.clientConfig(), transport, time));
  }
}
