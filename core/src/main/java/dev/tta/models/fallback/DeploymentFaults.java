package dev.tta.models.fallback;

import dev.tta.models.provider.ErrorClass;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The error classes that say something about the deployment (the model on its provider) rather than
 * about the request: only these count towards a model's exclusion and open its circuit. The others
 * are request problems (invalid request, content filtered, context too long), the caller going away
 * (cancelled) or a provider-wide problem handled by marking the provider out (authentication).
 */
public final class DeploymentFaults {

  /** Unavailable, timeout, rate limited and model not found. */
  public static final Set<ErrorClass> CLASSES =
      Collections.unmodifiableSet(
          EnumSet.of(
              ErrorClass.UNAVAILABLE,
              ErrorClass.TIMEOUT,
              ErrorClass.RATE_LIMITED,
              ErrorClass.MODEL_NOT_FOUND));

  private DeploymentFaults() {}

  public static boolean attributable(ErrorClass error) {
    return CLASSES.contains(error);
  }
}
