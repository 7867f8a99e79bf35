package dev.tta.models.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.testing.ScriptedProvider;
import dev.tta.models.time.ManualTimeSource;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The README's library example, kept here so that it compiles and runs. */
class ReadmeExampleTest {

  @Test
  void readmeExample_routesARequestByRequirements() {
    ScriptedProvider myProvider =
        new ScriptedProvider("ollama", ProviderType.OLLAMA, new ManualTimeSource());
    myProvider
        .add("llama3.1:8b", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(7))
        .thenReply("A dusty hallway.", Duration.ofMillis(500), 20, 4);

    // spotless:off (the README shows this block as it is)
    ModelRouter router = ModelRouter.builder()
        .providers(ProviderRegistry.of(List.of(myProvider)))          // anything implementing ModelProvider
        .selector(new ModelSelector(SelectionConfig.defaults()))
        .policy(new FallbackPolicy(FallbackConfig.defaults(), new SplittableRandom()))
        .failures(new InMemoryFailureRegistry(FallbackConfig.defaults()))
        .circuitBreakers(new ModelCircuitBreakers(CircuitBreakerSettings.defaults(), TimeSource.system()))
        .monitor(new PerformanceMonitor(TimeSource.system()))
        .build();

    RoutedResponse answer = router.chat(RouteRequest.of(
        ChatRequest.of(ChatMessage.user("The door creaks open. What do I see?")),
        ModelRequirements.builder(TaskType.NARRATIVE_GENERATION).maxCostPerToken(0.00001).build(),
        CandidateSource.byRequirements()));
    answer.servedBy();          // the model that answered
    answer.trace().summary();   // every attempt, skip and timing
    // spotless:on

    assertThat(answer.servedBy()).isEqualTo(ModelKey.of("ollama", "llama3.1:8b"));
    assertThat(answer.response().text()).isEqualTo("A dusty hallway.");
    assertThat(answer.trace().summary()).startsWith("tried [ollama/llama3.1:8b ok ");
  }
}
