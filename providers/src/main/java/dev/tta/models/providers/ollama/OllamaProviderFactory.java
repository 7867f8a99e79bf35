package dev.tta.models.providers.ollama;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.time.TimeSource;

/** Builds {@link OllamaProvider}s from validated settings. */
public final class OllamaProviderFactory {

  public static final ProviderType TYPE = ProviderType.OLLAMA;

  private OllamaProviderFactory() {}

  /** A provider over the JDK's HTTP client, on the system clock. */
  public static OllamaProvider create(OllamaSettings settings) {
    Checks.notNull(settings, "settings");
    return create(
        settings,
        new JettyHttpTransport(settings.connection().connectTimeout()),
        TimeSource.system());
  }

  /** A provider over the given transport (which it then owns and closes) and clock. */
  public static OllamaProvider create(
      OllamaSettings settings, HttpTransport transport, TimeSource time) {
    Checks.notNull(settings, "settings");
    return new OllamaProvider(settings, new OpenAiClient(settings.connection(), transport, time));
  }
}
