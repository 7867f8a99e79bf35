package dev.tta.models.routing;

import java.io.Serial;

/**
 * A broken stream cannot be continued on the model the policy chose: it refused the text so far as
 * a prefix, and its regenerated answer does not begin with exactly what the caller already has. Not
 * a failure of that model (it answered), so routing stops and the stream ends with the failure that
 * broke it.
 */
final class ContinuationImpossible extends RuntimeException {

  @Serial private static final long serialVersionUID = 1L;

  ContinuationImpossible(String message) {
    super(message, null, false, false);
  }
}
