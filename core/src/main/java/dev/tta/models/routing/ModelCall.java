package dev.tta.models.routing;

import dev.tta.models.provider.ModelInstance;

/**
 * What an attempt does with the model it got: a whole answer, the opening of a stream, or the
 * continuation of a broken one. The routing loop around it is the same for all of them.
 */
interface ModelCall<T> {

  /**
   * Calls the model.
   *
   * @throws dev.tta.models.provider.ProviderException when the attempt failed, which the loop
   *     records and hands to the fallback policy
   */
  T call(AttemptScope scope, ModelInstance instance);
}
