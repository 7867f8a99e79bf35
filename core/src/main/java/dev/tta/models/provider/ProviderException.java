package dev.tta.models.provider;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import java.io.Serial;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed provider call, classified. Every provider maps its wire errors into exactly one of
 * these, and the fallback policy decides from the class alone what to do next. Messages never
 * contain credentials.
 */
public abstract sealed class ProviderException extends RuntimeException
    permits ProviderException.Authentication,
        ProviderException.RateLimited,
        ProviderException.ContextLengthExceeded,
        ProviderException.ModelNotFound,
        ProviderException.ContentFiltered,
        ProviderException.InvalidRequest,
        ProviderException.Timeout,
        ProviderException.Unavailable,
        ProviderException.Cancelled {

  @Serial private static final long serialVersionUID = 1L;

  private final ProviderId provider;
  private final String modelId;

  private ProviderException(ProviderId provider, String modelId, String message, Throwable cause) {
    super(Checks.notBlank(message, "message"), cause);
    this.provider = Checks.notNull(provider, "provider");
    this.modelId = modelId;
  }

  public ProviderId provider() {
    return provider;
  }

  /** The model the call was for, when the failure concerns one model rather than the provider. */
  public Optional<String> modelId() {
    return Optional.ofNullable(modelId);
  }

  public abstract ErrorClass errorClass();

  /** The key, API key or token was refused; the provider stays unusable until it is fixed. */
  public static final class Authentication extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public Authentication(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.AUTHENTICATION;
    }
  }

  /** Too many requests or no quota left; {@link #retryAfter()} when the provider said how long. */
  public static final class RateLimited extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    public RateLimited(
        ProviderId provider, String modelId, String message, Duration retryAfter, Throwable cause) {
      super(provider, modelId, message, cause);
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retry_after: must not be negative, was " + retryAfter);
      }
      this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.RATE_LIMITED;
    }
  }

  /** The prompt plus the requested output does not fit the model's context. */
  public static final class ContextLengthExceeded extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;
    private final Integer contextLimit;

    public ContextLengthExceeded(
        ProviderId provider,
        String modelId,
        String message,
        Integer contextLimit,
        Throwable cause) {
      super(provider, modelId, message, cause);
      this.contextLimit = contextLimit;
    }

    /** The model's limit in tokens, when the provider said it. */
    public OptionalInt contextLimit() {
      return contextLimit == null ? OptionalInt.empty() : OptionalInt.of(contextLimit);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.CONTEXT_LENGTH_EXCEEDED;
    }
  }

  /** The provider does not serve that model (any more). */
  public static final class ModelNotFound extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public ModelNotFound(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.MODEL_NOT_FOUND;
    }
  }

  /** A content policy refused the request or the answer; {@link #reason()} is the provider's. */
  public static final class ContentFiltered extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;
    private final String reason;

    public ContentFiltered(
        ProviderId provider, String modelId, String message, String reason, Throwable cause) {
      super(provider, modelId, message, cause);
      this.reason = reason == null || reason.isBlank() ? message : reason;
    }

    public String reason() {
      return reason;
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.CONTENT_FILTERED;
    }
  }

  /** The request itself is wrong; another attempt with the same request would fail the same way. */
  public static final class InvalidRequest extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public InvalidRequest(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.INVALID_REQUEST;
    }
  }

  /** No answer (or no next token) within the time allowed. */
  public static final class Timeout extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public Timeout(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.TIMEOUT;
    }
  }

  /** The provider could not be reached, is overloaded, or failed on its side (5xx). */
  public static final class Unavailable extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public Unavailable(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.UNAVAILABLE;
    }
  }

  /** The caller cancelled the call (a client went away); never a reason to try another model. */
  public static final class Cancelled extends ProviderException {
    @Serial private static final long serialVersionUID = 1L;

    public Cancelled(ProviderId provider, String modelId, String message, Throwable cause) {
      super(provider, modelId, message, cause);
    }

    @Override
    public ErrorClass errorClass() {
      return ErrorClass.CANCELLED;
    }
  }
}
