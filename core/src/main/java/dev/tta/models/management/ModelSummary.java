package dev.tta.models.management;

import dev.tta.models.catalog.ModelInfo;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One catalog entry as the management API shows it: plain strings and numbers, so that it maps to
 * JSON without custom serializers.
 *
 * @param key {@code provider/model-id}, the name every other operation takes
 * @param contextLength empty when neither configuration nor the provider says it
 * @param capabilities sorted, so that output is stable
 */
public record ModelSummary(
    String key,
    String provider,
    String providerType,
    String id,
    String name,
    String description,
    boolean local,
    boolean free,
    OptionalInt contextLength,
    double inputCostPerToken,
    double outputCostPerToken,
    List<String> capabilities,
    OptionalDouble therapeuticSafetyScore,
    OptionalDouble performanceScore,
    OptionalLong estimatedMemoryBytes) {

  public ModelSummary {
    capabilities = List.copyOf(capabilities);
  }

  public static ModelSummary of(ModelInfo model) {
    return new ModelSummary(
        model.key().toString(),
        model.providerId().value(),
        model.providerType().name(),
        model.id(),
        model.name(),
        model.description(),
        model.local(),
        model.free(),
        model.contextLength(),
        model.inputCostPerToken(),
        model.outputCostPerToken(),
        model.capabilities().stream().sorted().toList(),
        model.therapeuticSafetyScore(),
        model.performanceScore(),
        model.estimatedMemoryBytes());
  }
}
