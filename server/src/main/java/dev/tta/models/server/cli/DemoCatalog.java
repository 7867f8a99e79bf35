package dev.tta.models.server.cli;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import java.util.List;

/**
 * A small built-in catalog for trying selection before any provider is configured. Prices are
 * OpenRouter's per-token list prices of May 2025 (from its recorded catalog); safety and
 * performance scores and capabilities (in the selector's task vocabulary) are illustrative ratings,
 * as an operator would configure them.
 */
final class DemoCatalog {

  private static final ProviderId LOCAL = ProviderId.of("local");
  private static final ProviderId OLLAMA = ProviderId.of("ollama");
  private static final ProviderId OPENROUTER = ProviderId.of("openrouter");

  private DemoCatalog() {}

  static List<ModelInfo> models() {
    return List.of(
        ModelInfo.builder(LOCAL, ProviderType.LOCAL, "llama-3.2-3b-instruct-q4_k_m")
            .contextLength(8192)
            .free(true)
            .capabilities("chat", "conversation", "dialogue", "storytelling")
            .therapeuticSafetyScore(7.5)
            .performanceScore(6.0)
            .estimatedMemoryBytes(2_600_000_000L)
            .build(),
        ModelInfo.builder(LOCAL, ProviderType.LOCAL, "tiny-random")
            .description("random weights: for tests, not for answers")
            .contextLength(512)
            .free(true)
            .capabilities("chat")
            .estimatedMemoryBytes(40_000_000L)
            .build(),
        ModelInfo.builder(OLLAMA, ProviderType.OLLAMA, "llama3.1:8b")
            .contextLength(131072)
            .free(true)
            .capabilities(
                "chat", "conversation", "creative_writing", "storytelling", "character", "tools")
            .therapeuticSafetyScore(8.0)
            .performanceScore(7.0)
            .estimatedMemoryBytes(5_500_000_000L)
            .build(),
        ModelInfo.builder(
                OPENROUTER, ProviderType.OPENROUTER, "meta-llama/llama-3.1-8b-instruct:free")
            .contextLength(131072)
            .free(true)
            .capabilities("chat", "conversation", "storytelling")
            .performanceScore(7.0)
            .build(),
        ModelInfo.builder(OPENROUTER, ProviderType.OPENROUTER, "openai/gpt-4o-mini")
            .contextLength(128000)
            .costPerToken(0.00000015, 0.0000006)
            .capabilities("chat", "conversation", "reasoning", "analysis", "tools", "vision")
            .therapeuticSafetyScore(8.5)
            .performanceScore(8.0)
            .build(),
        ModelInfo.builder(OPENROUTER, ProviderType.OPENROUTER, "anthropic/claude-3.5-sonnet")
            .contextLength(200000)
            .costPerToken(0.000003, 0.000015)
            .capabilities(
                "chat",
                "conversation",
                "creative_writing",
                "storytelling",
                "long_form",
                "empathy",
                "therapeutic",
                "reasoning",
                "tools")
            .therapeuticSafetyScore(9.5)
            .performanceScore(9.5)
            .build(),
        ModelInfo.builder(OPENROUTER, ProviderType.OPENROUTER, "mistralai/mistral-7b-instruct")
            .contextLength(32768)
            .costPerToken(0.000000028, 0.000000054)
            .capabilities("chat", "conversation")
            .therapeuticSafetyScore(6.5)
            .performanceScore(6.0)
            .build());
  }
}
