package dev.tta.models.management;

import static dev.tta.models.management.ManagementFixture.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.routing.CandidateSource;
import dev.tta.models.routing.RouteRequest;
import dev.tta.models.routing.RoutedResponse;
import dev.tta.models.routing.RoutingException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ModelManagementTest {

  private final ManagementFixture fixture = new ManagementFixture();
  private final ModelManagement management = fixture.management;

  private static List<String> keys(List<ModelSummary> models) {
    return models.stream().map(ModelSummary::key).toList();
  }

  private RoutedResponse call(String model) {
    return management.generate(
        RouteRequest.of(
            ChatRequest.of(ChatMessage.user("hello")),
            ModelRequirements.builder(TaskType.GENERAL_CHAT)
                .therapeuticSafetyRequired(false)
                .build(),
            CandidateSource.model(ModelKey.parse(model))));
  }

  @Test
  void availableModelsAreTheWholeCatalogInConfigurationOrder() {
    assertThat(keys(management.availableModels(Optional.empty(), false)))
        .containsExactly(
            "cloud/best",
            "cloud/paid",
            "local/small",
            "local/big",
            "filtered/cheap",
            "filtered/dear");
  }

  @Test
  void availableModelsFilterByProviderAndFreeness() {
    assertThat(keys(management.availableModels(Optional.of("local"), false)))
        .containsExactly("local/small", "local/big");
    assertThat(keys(management.availableModels(Optional.of("cloud"), true)))
        .containsExactly("cloud/best");
    assertThat(keys(management.freeModels()))
        .containsExactly("cloud/best", "local/small", "local/big", "filtered/cheap");
  }

  @Test
  void anUnknownOrMalformedProviderIsNamed() {
    assertThatThrownBy(() -> management.availableModels(Optional.of("nope"), false))
        .isInstanceOf(ManagementException.UnknownProvider.class)
        .hasMessage("provider: no provider named 'nope' is configured");
    assertThatThrownBy(() -> management.availableModels(Optional.of("Not A Name"), false))
        .isInstanceOf(ManagementException.UnknownProvider.class)
        .hasMessage("provider: no provider named 'Not A Name' is configured");
  }

  @Test
  void aSummaryCarriesTheCatalogValues() {
    ModelSummary paid = management.availableModels(Optional.of("cloud"), false).get(1);
    assertThat(paid)
        .isEqualTo(
            new ModelSummary(
                "cloud/paid",
                "cloud",
                "openrouter",
                "paid",
                "paid",
                "",
                false,
                false,
                OptionalInt.empty(),
                0.001,
                0.002,
                List.of("chat", "code"),
                OptionalDouble.of(8),
                OptionalDouble.of(8),
                OptionalLong.empty()));
    ModelSummary small = management.availableModels(Optional.of("local"), false).get(0);
    assertThat(small.local()).isTrue();
    assertThat(small.free()).isTrue();
    assertThat(small.estimatedMemoryBytes()).isEqualTo(OptionalLong.of(4 * GIB));
  }

  @Test
  void affordableModelsAreAtMostTheCostCheapestFirst() {
    assertThat(keys(management.affordableModels(0.0005)))
        .containsExactly(
            "cloud/best", "local/small", "local/big", "filtered/cheap", "filtered/dear");
    assertThat(keys(management.affordableModels(0.002)))
        .containsExactly(
            "cloud/best",
            "local/small",
            "local/big",
            "filtered/cheap",
            "filtered/dear",
            "cloud/paid");
    assertThat(keys(management.affordableModels(0.0))).doesNotContain("filtered/dear");
    assertThatThrownBy(() -> management.affordableModels(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("max_cost_per_token:");
  }

  @Test
  void openRouterFreeModelsAreTheFreeOnesOfOpenRouterTypeProviders() {
    assertThat(keys(management.openRouterFreeModels())).containsExactly("cloud/best");
  }

  @Test
  void generateGoesThroughTheRouter() {
    fixture.cloud.model("best").thenReply("hi there", Duration.ofMillis(200), 10, 5);
    RoutedResponse response = call("cloud/best");
    assertThat(response.servedBy()).isEqualTo(ModelKey.of("cloud", "best"));
    assertThat(response.response().text()).isEqualTo("hi there");
  }

  @Test
  void connectivityTestReportsAnAnswerAndItsLatency() {
    fixture.cloud.model("best").thenReply("pong", Duration.ofMillis(250), 1, 1);
    ConnectivityResult result = management.testConnectivity(ModelKey.of("cloud", "best"));
    assertThat(result)
        .isEqualTo(new ConnectivityResult("cloud/best", true, 250, Optional.empty(), "pong"));
    ChatRequest probe = fixture.cloud.model("best").received().get(0);
    assertThat(probe.messages()).containsExactly(ChatMessage.user("ping"));
    assertThat(probe.maxTokens()).hasValue(1);
    assertThat(fixture.cloud.model("best").timeouts()).containsExactly(Duration.ofSeconds(5));
    assertThat(fixture.monitor.trackedModels()).isEmpty();
  }

  @Test
  void connectivityTestReportsAFailureWithItsClass() {
    fixture.cloud.model("paid").thenFail(ErrorClass.TIMEOUT, Duration.ofSeconds(3));
    assertThat(management.testConnectivity(ModelKey.of("cloud", "paid")))
        .isEqualTo(
            new ConnectivityResult(
                "cloud/paid", false, 3000, Optional.of("timeout"), "timeout (scripted)"));
  }

  @Test
  void connectivityTestReportsACrashAsUnavailable() {
    fixture.local.model("small").thenCrash();
    assertThat(management.testConnectivity(ModelKey.of("local", "small")))
        .isEqualTo(
            new ConnectivityResult(
                "local/small",
                false,
                0,
                Optional.of("unavailable"),
                "provider failed unexpectedly (IllegalStateException)"));
  }

  @Test
  void connectivityTestOfAnUnknownModelOrProviderFails() {
    assertThatThrownBy(() -> management.testConnectivity(ModelKey.of("cloud", "nope")))
        .isInstanceOf(ManagementException.UnknownModel.class)
        .hasMessage("model: 'cloud/nope' is not offered by provider cloud");
    assertThatThrownBy(() -> management.testConnectivity(ModelKey.of("elsewhere", "x")))
        .isInstanceOf(ManagementException.UnknownProvider.class)
        .hasMessage("provider: no provider named 'elsewhere' is configured");
  }

  @Test
  void statusShowsProvidersLoadedModelsAndUptime() {
    Instant start = fixture.clock.instant();
    fixture.clock.advance(Duration.ofSeconds(90));
    management.load(ModelKey.of("local", "small"), LoadOptions.DEFAULTS);
    fixture.failures.markProviderOut(ProviderId.of("cloud"), "authentication failed", start);
    SystemStatus status = management.status();
    assertThat(status.startedAt()).isEqualTo(start);
    assertThat(status.uptimeSeconds()).isEqualTo(90);
    assertThat(status.healthyProviders()).isEqualTo(3);
    assertThat(status.loadedModels()).containsExactly("local/small");
    assertThat(status.providers())
        .containsExactly(
            new ProviderStatus(
                "cloud",
                "openrouter",
                false,
                true,
                "scripted",
                2,
                Optional.of(
                    "authentication failed (since "
                        + start
                        + ", recheck at "
                        + start.plus(Duration.ofMinutes(5))
                        + ")")),
            new ProviderStatus("local", "local", true, true, "scripted", 2, Optional.empty()),
            new ProviderStatus(
                "filtered", "custom_api", false, true, "scripted", 2, Optional.empty()));
  }

  @Test
  void statusOfAProviderThatCannotListShowsItDownWithNoModels() {
    fixture.local.failListing(ErrorClass.UNAVAILABLE);
    SystemStatus status = management.status();
    assertThat(status.healthyProviders()).isEqualTo(2);
    assertThat(status.providers().get(1))
        .isEqualTo(
            new ProviderStatus("local", "local", true, false, "scripted", 0, Optional.empty()));
  }

  @Test
  void healthIsHealthyDegradedOrUnhealthy() {
    assertThat(management.health()).isEqualTo(new Health("healthy", 3, 3));
    fixture.local.failListing(ErrorClass.UNAVAILABLE);
    assertThat(management.health()).isEqualTo(new Health("degraded", 2, 3));
    fixture.cloud.failListing(ErrorClass.UNAVAILABLE);
    fixture.filtered.scripted.failListing(ErrorClass.UNAVAILABLE);
    assertThat(management.health()).isEqualTo(new Health("unhealthy", 0, 3));
  }

  @Test
  void loadAndUnload() {
    ModelKey small = ModelKey.of("local", "small");
    assertThat(management.load(small, LoadOptions.DEFAULTS))
        .isEqualTo(new LoadedModel("local/small", "ready"));
    assertThat(management.unload(small)).isTrue();
    assertThat(management.unload(small)).isFalse();
    assertThat(management.status().loadedModels()).isEmpty();
  }

  @Test
  void loadOfAnUnknownModelOrProviderFails() {
    assertThatThrownBy(() -> management.load(ModelKey.of("local", "huge"), LoadOptions.DEFAULTS))
        .isInstanceOf(ManagementException.UnknownModel.class)
        .hasMessage("model: 'local/huge' is not offered by provider local");
    assertThatThrownBy(() -> management.unload(ModelKey.of("nowhere", "x")))
        .isInstanceOf(ManagementException.UnknownProvider.class);
  }

  @Test
  void modelPerformanceOverAWindow() {
    fixture.cloud.model("best").thenReply("a", Duration.ofMillis(200), 10, 5);
    call("cloud/best");
    PerformanceReport report =
        management.modelPerformance(ModelKey.of("cloud", "best"), TimeWindow.ONE_HOUR);
    assertThat(report.window()).isEqualTo("1h");
    assertThat(report.calls()).isEqualTo(1);
    assertThat(report.successes()).isEqualTo(1);
    assertThat(report.successRate()).isEqualTo(1.0);
    assertThat(report.promptTokens()).isEqualTo(10);
    assertThat(report.completionTokens()).isEqualTo(5);
    assertThat(report.costUsd()).isEqualTo(0.0);
    assertThat(report.latency().p50Ms()).isCloseTo(200.0, within(0.2));
    assertThat(report.tokensPerSecondMean()).isCloseTo(25.0, within(0.01));
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void aFailedCallShowsInPerformanceByErrorClass() {
    fixture.cloud.model("paid").thenFail(ErrorClass.UNAVAILABLE, Duration.ofMillis(40));
    assertThatThrownBy(() -> call("cloud/paid")).isInstanceOf(RoutingException.class);
    PerformanceReport report =
        management.modelPerformance(ModelKey.of("cloud", "paid"), TimeWindow.ONE_MINUTE);
    assertThat(report.window()).isEqualTo("1m");
    assertThat(report.calls()).isEqualTo(1);
    assertThat(report.successes()).isZero();
    assertThat(report.successRate()).isEqualTo(0.0);
    assertThat(report.errors()).isEqualTo(Map.of("unavailable", 1L));
  }

  @Test
  void anOfferedModelNeverCalledHasZeroCalls() {
    PerformanceReport report =
        management.modelPerformance(ModelKey.of("local", "big"), TimeWindow.ONE_DAY);
    assertThat(report.window()).isEqualTo("1d");
    assertThat(report.calls()).isZero();
    assertThat(report.successRate()).isEqualTo(1.0);
    assertThat(report.latency().count()).isZero();
    assertThatThrownBy(
            () -> management.modelPerformance(ModelKey.of("local", "nope"), TimeWindow.ONE_DAY))
        .isInstanceOf(ManagementException.UnknownModel.class);
  }

  @Test
  void systemPerformanceOverallByProviderAndByTask() {
    fixture.cloud.model("best").thenReply("a", Duration.ofMillis(200), 10, 5);
    fixture.cloud.model("paid").thenFail(ErrorClass.UNAVAILABLE, Duration.ofMillis(40));
    fixture.local.model("small").thenReply("b", Duration.ofMillis(100), 3, 2);
    call("cloud/best");
    assertThatThrownBy(() -> call("cloud/paid")).isInstanceOf(RoutingException.class);
    call("local/small");
    SystemPerformance performance = management.systemPerformance(TimeWindow.ONE_HOUR);
    assertThat(performance.overall().calls()).isEqualTo(3);
    assertThat(performance.overall().successes()).isEqualTo(2);
    assertThat(performance.overall().promptTokens()).isEqualTo(13);
    assertThat(performance.byProvider()).containsOnlyKeys("cloud", "local");
    assertThat(performance.byProvider().get("cloud").calls()).isEqualTo(2);
    assertThat(performance.byProvider().get("cloud").errors()).isEqualTo(Map.of("unavailable", 1L));
    assertThat(performance.byProvider().get("local").completionTokens()).isEqualTo(2);
    assertThat(performance.callsByTask()).isEqualTo(Map.of("general_chat", 3L));
  }

  @Test
  void fallbackStatisticsAndReset() {
    fixture.cloud.model("paid").thenFail(ErrorClass.UNAVAILABLE, Duration.ofMillis(40));
    assertThatThrownBy(() -> call("cloud/paid")).isInstanceOf(RoutingException.class);
    Instant marked = fixture.clock.instant();
    fixture.failures.markProviderOut(ProviderId.of("local"), "refused", marked);
    assertThat(management.fallbackStatistics())
        .isEqualTo(
            new FallbackStatistics(
                1,
                Map.of("cloud/paid", 1L),
                Map.of("cloud", 1L),
                Map.of("unavailable", 1L),
                List.of(),
                Map.of(
                    "local",
                    "refused (since "
                        + marked
                        + ", recheck at "
                        + marked.plus(Duration.ofMinutes(5))
                        + ")"),
                List.of()));
    management.resetFailures(ModelKey.of("cloud", "paid"));
    FallbackStatistics after = management.fallbackStatistics();
    assertThat(after.totalFailures()).isZero();
    assertThat(after.byModel()).isEmpty();
    assertThatThrownBy(() -> management.resetFailures(ModelKey.of("nowhere", "x")))
        .isInstanceOf(ManagementException.UnknownProvider.class);
  }

  @Test
  void openCircuitsAndExclusionsShowAndResetClearsThem() {
    ModelKey paid = ModelKey.of("cloud", "paid");
    for (int i = 0; i < 5; i++) {
      fixture.cloud.model("paid").thenFail(ErrorClass.UNAVAILABLE, Duration.ofMillis(40));
      fixture.breakers.onFailure(paid, Duration.ofMillis(40), ErrorClass.UNAVAILABLE);
      fixture.failures.recordFailure(
          fixture.router.catalog().get(1), ErrorClass.UNAVAILABLE, fixture.clock.instant());
    }
    FallbackStatistics stats = management.fallbackStatistics();
    assertThat(stats.excludedModels()).containsExactly("cloud/paid");
    assertThat(stats.openCircuits()).containsExactly("cloud/paid");
    management.resetFailures(paid);
    FallbackStatistics after = management.fallbackStatistics();
    assertThat(after.excludedModels()).isEmpty();
    assertThat(after.openCircuits()).isEmpty();
  }

  @Test
  void resetProvider_liftsItsBeingOut_andResetsItsModelsOnly() {
    ModelKey paid = ModelKey.of("cloud", "paid");
    ModelKey small = ModelKey.of("local", "small");
    fixture.failures.markProviderOut(ProviderId.of("cloud"), "401", fixture.clock.instant());
    fixture.breakers.holdOpen(paid);
    fixture.breakers.holdOpen(small);
    // three counted failures each: both excluded
    for (int i = 0; i < 3; i++) {
      fixture.failures.recordFailure(
          fixture.cloud.model("paid").info(), ErrorClass.UNAVAILABLE, fixture.clock.instant());
      fixture.failures.recordFailure(
          fixture.local.model("small").info(), ErrorClass.UNAVAILABLE, fixture.clock.instant());
    }

    management.resetProvider(ProviderId.of("cloud"));

    assertThat(fixture.failures.providersOut(fixture.clock.instant())).isEmpty();
    assertThat(fixture.failures.excludedModels(fixture.clock.instant())).containsExactly(small);
    assertThat(fixture.breakers.state(paid)).isEqualTo(CircuitState.CLOSED);
    assertThat(fixture.breakers.state(small)).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> management.resetProvider(ProviderId.of("ghost")))
        .isInstanceOf(ManagementException.UnknownProvider.class);
  }

  @Test
  void recommendationsRankForTheTaskWithHardwareFit() {
    fixture.hardware.set(
        Optional.of(new HardwareProfile(32 * GIB, 16 * GIB, 8, List.of(), 100 * GIB)));
    Recommendations recommendations =
        management.recommend(ModelRequirements.forTask(TaskType.GENERAL_CHAT), 10);
    assertThat(recommendations.taskType()).isEqualTo("general_chat");
    assertThat(recommendations.recommended().stream().map(r -> r.model().key()))
        .startsWith("cloud/best")
        .contains("local/small")
        .doesNotContain("local/big");
    assertThat(recommendations.recommended().get(0).rank()).isEqualTo(1);
    assertThat(recommendations.recommended().get(0).hardwareFit()).isEmpty();
    Recommendation small =
        recommendations.recommended().stream()
            .filter(r -> r.model().key().equals("local/small"))
            .findFirst()
            .orElseThrow();
    assertThat(small.hardwareFit().orElseThrow().requiredBytes()).isEqualTo(4 * GIB);
    assertThat(small.hardwareFit().orElseThrow().availableBytes()).isEqualTo(16 * GIB);
    assertThat(small.hardwareFit().orElseThrow().fits()).isTrue();
    assertThat(recommendations.notFitting()).hasSize(1);
    Recommendation big = recommendations.notFitting().get(0);
    assertThat(big.rank()).isEqualTo(1);
    assertThat(big.model().key()).isEqualTo("local/big");
    assertThat(big.hardwareFit().orElseThrow().fits()).isFalse();
    assertThat(big.hardwareFit().orElseThrow().requiredBytes()).isEqualTo(15 * GIB);
  }

  @Test
  void recommendationsStopAtTheLimitAndCarryTheScore() {
    Recommendations recommendations =
        management.recommend(ModelRequirements.forTask(TaskType.GENERAL_CHAT), 1);
    assertThat(recommendations.recommended()).hasSize(1);
    Recommendation best = recommendations.recommended().get(0);
    assertThat(best.model().key()).isEqualTo("cloud/best");
    // 0.3 * performance 9 + 0.4 * safety 9 + 0.3 * cost 10 (free)
    assertThat(best.score()).isCloseTo(9.3, within(1e-9));
    assertThat(recommendations.notFitting()).isEmpty();
    assertThatThrownBy(
            () -> management.recommend(ModelRequirements.forTask(TaskType.GENERAL_CHAT), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("limit:");
  }

  @Test
  void explainGivesTheRankingTheDropsAndTheText() {
    SelectionExplanation explanation =
        management.explain(
            ModelRequirements.builder(TaskType.GENERAL_CHAT).maxCostPerToken(0.001).build());
    assertThat(explanation.requirements())
        .isEqualTo("task general_chat, max cost 0.001 per token, therapeutic safety required");
    assertThat(explanation.text()).startsWith("Requirements: " + explanation.requirements());
    assertThat(explanation.ranked().get(0).rank()).isEqualTo(1);
    assertThat(explanation.ranked().get(0).model()).isEqualTo("cloud/best");
    assertThat(explanation.ranked().get(0).score()).isCloseTo(9.3, within(1e-9));
    assertThat(explanation.ranked().get(0).terms())
        .filteredOn(t -> t.name().equals("performance"))
        .singleElement()
        .satisfies(t -> assertThat(t.value()).isCloseTo(2.7, within(1e-9)));
    assertThat(explanation.ranked().get(1).rank()).isEqualTo(2);
    assertThat(explanation.dropped())
        .contains(
            new SelectionExplanation.Dropped(
                "cloud/paid", "cost", "effective cost 0.002 > max 0.001"));
  }

  @Test
  void freeModelFiltersAreReadAndSetOnProvidersThatHaveThem() {
    assertThat(management.freeModelFilters())
        .containsExactly(
            new ProviderFreeFilter(
                "filtered", new FreeModelFilter(false, false, OptionalDouble.empty())));
    assertThat(keys(management.availableModels(Optional.of("filtered"), false)))
        .containsExactly("filtered/cheap", "filtered/dear");
    FreeModelFilter freeOnly = new FreeModelFilter(true, true, OptionalDouble.of(0.001));
    assertThat(management.setFreeModelFilter(freeOnly, Optional.empty()))
        .containsExactly(new ProviderFreeFilter("filtered", freeOnly));
    assertThat(fixture.filtered.freeModelFilter()).isEqualTo(freeOnly);
    assertThat(keys(management.availableModels(Optional.of("filtered"), false)))
        .containsExactly("filtered/cheap");
    FreeModelFilter open = new FreeModelFilter(false, false, OptionalDouble.empty());
    assertThat(management.setFreeModelFilter(open, Optional.of("filtered")))
        .containsExactly(new ProviderFreeFilter("filtered", open));
  }

  @Test
  void settingTheFilterOnAProviderWithoutOneFails() {
    FreeModelFilter filter = new FreeModelFilter(true, false, OptionalDouble.empty());
    assertThatThrownBy(() -> management.setFreeModelFilter(filter, Optional.of("cloud")))
        .isInstanceOf(ManagementException.Unsupported.class)
        .hasMessage("provider: 'cloud' has no free-model filter");
    assertThatThrownBy(() -> management.setFreeModelFilter(filter, Optional.of("nope")))
        .isInstanceOf(ManagementException.UnknownProvider.class);
    ModelManagement withoutFilters = new ManagementFixture(false).management;
    assertThatThrownBy(withoutFilters::freeModelFilters)
        .isInstanceOf(ManagementException.Unsupported.class)
        .hasMessage("no configured provider has a free-model filter (OpenRouter has one)");
  }

  @Test
  void windowNamesBothWays() {
    assertThat(ModelManagement.windowName(TimeWindow.ONE_MINUTE)).isEqualTo("1m");
    assertThat(ModelManagement.windowName(TimeWindow.ONE_HOUR)).isEqualTo("1h");
    assertThat(ModelManagement.windowName(TimeWindow.ONE_DAY)).isEqualTo("1d");
    assertThat(ModelManagement.window("1m")).isEqualTo(TimeWindow.ONE_MINUTE);
    assertThat(ModelManagement.window("1h")).isEqualTo(TimeWindow.ONE_HOUR);
    assertThat(ModelManagement.window("1d")).isEqualTo(TimeWindow.ONE_DAY);
    assertThatThrownBy(() -> ModelManagement.window("2h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: must be one of 1m, 1h, 1d, was '2h'");
  }

  @Test
  void theBuilderNamesAMissingCollaborator() {
    assertThatThrownBy(() -> ModelManagement.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("providers: is required");
  }

  @Test
  void aFilterWithANegativeCostIsRejected() {
    assertThatThrownBy(() -> new FreeModelFilter(true, false, OptionalDouble.of(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("max_cost_per_token:");
  }

  @Test
  void unloadAsksTheProvider() {
    assertThat(management.unload(ModelKey.of("filtered", "cheap"))).isFalse();
    assertThat(fixture.filtered.unloaded).containsExactly("cheap");
  }

  @Test
  void aMeasuredModelNoLongerOfferedKeepsItsMeasurements() {
    ModelKey gone = ModelKey.of("cloud", "gone");
    fixture.monitor.record(
        CallRecord.failure(
            gone,
            TaskType.GENERAL_CHAT,
            fixture.clock.instant(),
            Duration.ofMillis(10),
            ErrorClass.TIMEOUT));
    PerformanceReport report = management.modelPerformance(gone, TimeWindow.ONE_HOUR);
    assertThat(report.calls()).isEqualTo(1);
    assertThat(report.errors()).isEqualTo(Map.of("timeout", 1L));
  }

  @Test
  void modelsTooBigForTheMachineAreListedApartEvenWhenTheLimitIsReached() {
    fixture.hardware.set(
        Optional.of(new HardwareProfile(32 * GIB, 16 * GIB, 8, List.of(), 100 * GIB)));
    Recommendations recommendations =
        management.recommend(ModelRequirements.forTask(TaskType.GENERAL_CHAT), 1);
    assertThat(recommendations.recommended().stream().map(r -> r.model().key()))
        .containsExactly("cloud/best");
    assertThat(recommendations.notFitting().stream().map(r -> r.model().key()))
        .containsExactly("local/big");
  }
}
