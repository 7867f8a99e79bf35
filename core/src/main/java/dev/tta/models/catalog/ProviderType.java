package dev.tta.models.catalog;

import dev.tta.models.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kind of a provider, as named in configuration ({@code type: ollama}), and whether its models
 * run on this machine. Selection treats local and remote models differently (an unknown safety
 * score is accepted only from remote providers; local models can be preferred). A record rather
 * than an enum so that a third-party provider brings its own type without editing core.
 *
 * @param name the configuration name, lower case
 * @param local true when the models run on this machine or the local network's own servers
 */
public record ProviderType(String name, boolean local) {

  public static final ProviderType LOCAL = new ProviderType("local", true);
  public static final ProviderType OLLAMA = new ProviderType("ollama", true);
  public static final ProviderType LM_STUDIO = new ProviderType("lm_studio", true);
  public static final ProviderType OPENROUTER = new ProviderType("openrouter", false);
  public static final ProviderType CUSTOM_API = new ProviderType("custom_api", false);
  public static final ProviderType ANTHROPIC = new ProviderType("anthropic", false);

  /** The types this project ships, in the order the documentation lists them. */
  public static final List<ProviderType> BUILT_IN =
      List.of(LOCAL, OPENROUTER, OLLAMA, LM_STUDIO, CUSTOM_API, ANTHROPIC);

  public ProviderType {
    Checks.notBlank(name, "provider type");
    name = name.trim().toLowerCase(Locale.ROOT);
  }

  /** The built-in type of that name, if there is one. */
  public static Optional<ProviderType> builtIn(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return BUILT_IN.stream().filter(t -> t.name.equals(wanted)).findFirst();
  }

  @Override
  public String toString() {
    return name;
  }
}
