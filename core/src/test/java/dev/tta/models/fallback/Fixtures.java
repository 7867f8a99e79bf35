package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.monitoring.DurationStats;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/** Models, errors, measurements and random sources for the fallback tests. */
final class Fixtures {

  private Fixtures() {}

  static ModelInfo model(String provider, String id) {
    return ModelInfo.builder(ProviderId.of(provider), ProviderType.CUSTOM_API, id).build();
  }

  static ModelInfo model(String provider, String id, int contextLength) {
    return model(provider, id).toBuilder().contextLength(contextLength).build();
  }

  static ModelInfo priced(String provider, String id, double input, double output) {
    return model(provider, id).toBuilder().costPerToken(input, output).build();
  }

  /** An error of {@code errorClass} from the model's provider; rate limits carry no retry-after. */
  static ProviderException error(ErrorClass errorClass, ModelInfo model) {
    ProviderId provider = model.providerId();
    String id = model.id();
    String message = errorClass.wireName();
    return switch (errorClass) {
      case AUTHENTICATION -> new ProviderException.Authentication(provider, id, message, null);
      case RATE_LIMITED -> new ProviderException.RateLimited(provider, id, message, null, null);
      case CONTEXT_LENGTH_EXCEEDED ->
          new ProviderException.ContextLengthExceeded(provider, id, message, null, null);
      case MODEL_NOT_FOUND -> new ProviderException.ModelNotFound(provider, id, message, null);
      case CONTENT_FILTERED ->
          new ProviderException.ContentFiltered(provider, id, message, "policy", null);
      case INVALID_REQUEST -> new ProviderException.InvalidRequest(provider, id, message, null);
      case TIMEOUT -> new ProviderException.Timeout(provider, id, message, null);
      case UNAVAILABLE -> new ProviderException.Unavailable(provider, id, message, null);
      case CANCELLED -> new ProviderException.Cancelled(provider, id, message, null);
    };
  }

  static ProviderException.RateLimited rateLimited(ModelInfo model, Duration retryAfter) {
    return new ProviderException.RateLimited(
        model.providerId(), model.id(), "429 too many requests", retryAfter, null);
  }

  /**
   * Measurements of {@code calls} calls, {@code successes} of them successful, with every latency
   * percentile at {@code p50Ms}; a negative {@code p50Ms} means no latency was recorded.
   */
  static ModelStats stats(long calls, long successes, double p50Ms) {
    DurationStats latency =
        p50Ms < 0
            ? DurationStats.EMPTY
            : new DurationStats(successes, p50Ms, p50Ms, p50Ms, p50Ms, p50Ms, p50Ms);
    return new ModelStats(
        TimeWindow.ONE_HOUR,
        calls,
        successes,
        latency,
        DurationStats.EMPTY,
        0,
        0,
        0,
        0,
        0,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Map.of());
  }

  /** A generator whose {@code nextDouble()} is always {@code uniform}. */
  static RandomGenerator fixedUniform(double uniform) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only nextDouble() is expected");
      }

      @Override
      public double nextDouble() {
        return uniform;
      }
    };
  }

  /** A generator that fails the test if the policy draws from it. */
  static RandomGenerator noRandomness() {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("no random draw expected");
      }

      @Override
      public double nextDouble() {
        throw new AssertionError("no random draw expected");
      }
    };
  }
}
