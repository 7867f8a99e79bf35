package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ProviderType;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.HttpTransport;
import dev.tta.models.providers.http.JettyHttpTransport;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.time.TimeSource;

/** Builds {@link LmStudioProvider}s from validated settings. */
public final class LmStudioProviderFactory {

  public static final ProviderType TYPE = ProviderType.LM_STUDIO;

  private LmStudioProviderFactory() {}

  /** A provider over the JDK's HTTP client, on the system clock. */
  public static LmStudioProvider create(LmStudioSettings settings) {
    Checks.notNull(settings, "settings");
    return create(
        settings,
        new JettyHttpTransport(settings.connection().connectTimeout()),
        TimeSource.system());
  }

  /** A provider over the given transport (which it then owns and closes) and clock. */
  public static LmStudioProvider create(
      LmStudioSettings settings, HttpTransport transport, TimeSource time) {
    Checks.notNull(settings, "settings");
    return new LmStudioProvider(settings, new OpenAiClient(settings.connection(), transport, time));
  }
}
