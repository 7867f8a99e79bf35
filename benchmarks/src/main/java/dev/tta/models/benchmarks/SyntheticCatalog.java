package dev.tta.models.benchmarks;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reproducible catalogs for benchmarks: models spread over six providers with varied prices,
 * contexts, capabilities and scores (some unknown), so that every filter and score term is
 * exercised and about a third of the models are dropped by typical requirements.
 */
public final class SyntheticCatalog {

  private static final List<ProviderType> TYPES = ProviderType.BUILT_IN;
  private static final String[] CAPABILITIES = {
    "chat", "dialogue", "narrative", "creative", "reasoning", "therapeutic", "tools", "vision"
  };

  private SyntheticCatalog() {}

  public static List<ModelInfo> of(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ModelInfo> models = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ProviderType type = TYPES.get(i % TYPES.size());
      boolean free = random.nextInt(4) == 0;
      double price = free ? 0 : random.nextDouble() * 0.00002;
      List<String> capabilities = new ArrayList<>();
      capabilities.add("chat");
      for (String capability : CAPABILITIES) {
        if (random.nextInt(3) == 0) {
          capabilities.add(capability);
        }
      }
      ModelInfo.Builder model =
          ModelInfo.builder(ProviderId.of(type.name().replace('_', '-')), type, "model-" + i)
              .contextLength(1024 << random.nextInt(8))
              .costPerToken(price, price * 2)
              .free(free)
              .capabilities(capabilities);
      if (random.nextInt(5) != 0) {
        model.therapeuticSafetyScore(random.nextInt(101) / 10.0);
      }
      if (random.nextInt(5) != 0) {
        model.performanceScore(random.nextInt(101) / 10.0);
      }
      if (type.local()) {
        model.estimatedMemoryBytes(500_000_000L + random.nextLong(8_000_000_000L));
      }
      models.add(model.build());
    }
    return List.copyOf(models);
  }
}
