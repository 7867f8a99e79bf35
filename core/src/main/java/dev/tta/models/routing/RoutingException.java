package dev.tta.models.routing;

import dev.tta.models.provider.ProviderException;
import java.io.Serial;
import java.util.List;

/** A request that could not be served; the gateway maps each kind to an HTTP status. */
public abstract sealed class RoutingException extends RuntimeException
    permits RoutingException.NoEligibleModel, RoutingException.AllCandidatesFailed {

  @Serial private static final long serialVersionUID = 1L;

  private final transient RoutingTrace trace;

  private RoutingException(String message, RoutingTrace trace, Throwable cause) {
    super(message, cause);
    this.trace = trace;
  }

  public RoutingTrace trace() {
    return trace;
  }

  /**
   * No model may be called: none meets the requirements, or every one that does is unusable now.
   * {@link #trace()} lists each model and the rule that excluded it.
   */
  public static final class NoEligibleModel extends RoutingException {
    @Serial private static final long serialVersionUID = 1L;

    public NoEligibleModel(RoutingTrace trace) {
      super(describe(trace.skipped()), trace, null);
    }

    private static String describe(List<SkippedModel> skipped) {
      if (skipped.isEmpty()) {
        return "no model is available: the catalog is empty";
      }
      StringBuilder text = new StringBuilder("no model meets the requirements:");
      for (SkippedModel skip : skipped) {
        text.append(' ').append(skip.model()).append(" (").append(skip.reason()).append(");");
      }
      text.setLength(text.length() - 1);
      return text.toString();
    }
  }

  /** Models were called and the last failure ended routing; {@link #lastError()} classifies it. */
  public static final class AllCandidatesFailed extends RoutingException {
    @Serial private static final long serialVersionUID = 1L;

    public AllCandidatesFailed(String reason, RoutingTrace trace, ProviderException lastError) {
      super(reason + "; last error: " + lastError.getMessage(), trace, lastError);
    }

    public ProviderException lastError() {
      return (ProviderException) getCause();
    }
  }
}
