package dev.tta.models.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderExceptionTest {

  private static final ProviderId OPENROUTER = ProviderId.of("openrouter");
  private static final IOException CAUSE = new IOException("connection reset");

  @Test
  void errorClass_onePerSubtype() {
    assertThat(new ProviderException.Authentication(OPENROUTER, null, "401", null).errorClass())
        .isSameAs(ErrorClass.AUTHENTICATION);
    assertThat(new ProviderException.RateLimited(OPENROUTER, null, "429", null, null).errorClass())
        .isSameAs(ErrorClass.RATE_LIMITED);
    assertThat(
            new ProviderException.ContextLengthExceeded(OPENROUTER, "m", "too long", null, null)
                .errorClass())
        .isSameAs(ErrorClass.CONTEXT_LENGTH_EXCEEDED);
    assertThat(new ProviderException.ModelNotFound(OPENROUTER, "m", "404", null).errorClass())
        .isSameAs(ErrorClass.MODEL_NOT_FOUND);
    assertThat(
            new ProviderException.ContentFiltered(OPENROUTER, "m", "filtered", null, null)
                .errorClass())
        .isSameAs(ErrorClass.CONTENT_FILTERED);
    assertThat(new ProviderException.InvalidRequest(OPENROUTER, "m", "400", null).errorClass())
        .isSameAs(ErrorClass.INVALID_REQUEST);
    assertThat(new ProviderException.Timeout(OPENROUTER, "m", "timed out", null).errorClass())
        .isSameAs(ErrorClass.TIMEOUT);
    assertThat(new ProviderException.Unavailable(OPENROUTER, "m", "503", null).errorClass())
        .isSameAs(ErrorClass.UNAVAILABLE);
    assertThat(new ProviderException.Cancelled(OPENROUTER, "m", "cancelled", null).errorClass())
        .isSameAs(ErrorClass.CANCELLED);
  }

  @Test
  void errorClass_wireNames() {
    assertThat(Arrays.stream(ErrorClass.values()).map(ErrorClass::wireName))
        .containsExactly(
            "authentication",
            "rate_limited",
            "context_length_exceeded",
            "model_not_found",
            "content_filtered",
            "invalid_request",
            "timeout",
            "unavailable",
            "cancelled");
  }

  @Test
  void commonFields_providerModelMessageCause() {
    ProviderException e =
        new ProviderException.Unavailable(OPENROUTER, "gpt-4o", "upstream 503", CAUSE);

    assertThat(e.provider()).isEqualTo(OPENROUTER);
    assertThat(e.modelId()).contains("gpt-4o");
    assertThat(e.getMessage()).isEqualTo("upstream 503");
    assertThat(e.getCause()).isSameAs(CAUSE);
    assertThat(e).isInstanceOf(RuntimeException.class);
  }

  @Test
  void modelId_optional() {
    ProviderException e = new ProviderException.Authentication(OPENROUTER, null, "bad key", null);

    assertThat(e.modelId()).isEmpty();
    assertThat(e.getCause()).isNull();
  }

  @Test
  void message_requiredForEverySubtype() {
    List<Runnable> blankMessages =
        List.of(
            () -> new ProviderException.Authentication(OPENROUTER, null, " ", null),
            () -> new ProviderException.RateLimited(OPENROUTER, null, null, null, null),
            () -> new ProviderException.ContextLengthExceeded(OPENROUTER, null, "", 1, null),
            () -> new ProviderException.ModelNotFound(OPENROUTER, null, null, null),
            () -> new ProviderException.ContentFiltered(OPENROUTER, null, "", "reason", null),
            () -> new ProviderException.InvalidRequest(OPENROUTER, null, null, null),
            () -> new ProviderException.Timeout(OPENROUTER, null, null, null),
            () -> new ProviderException.Unavailable(OPENROUTER, null, null, null),
            () -> new ProviderException.Cancelled(OPENROUTER, null, null, null));

    for (Runnable construct : blankMessages) {
      assertThatThrownBy(construct::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("message: must not be blank");
    }
  }

  @Test
  void provider_required() {
    assertThatThrownBy(() -> new ProviderException.Timeout(null, "m", "timed out", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider: is required");
  }

  @Test
  void rateLimited_retryAfterWhenGiven() {
    ProviderException.RateLimited withRetry =
        new ProviderException.RateLimited(OPENROUTER, "m", "429", Duration.ofSeconds(30), null);
    ProviderException.RateLimited without =
        new ProviderException.RateLimited(OPENROUTER, "m", "429", null, null);
    ProviderException.RateLimited zero =
        new ProviderException.RateLimited(OPENROUTER, "m", "429", Duration.ZERO, null);

    assertThat(withRetry.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(without.retryAfter()).isEmpty();
    assertThat(zero.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void rateLimited_negativeRetryAfterRefused() {
    assertThatThrownBy(
            () ->
                new ProviderException.RateLimited(
                    OPENROUTER, "m", "429", Duration.ofSeconds(-1), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry_after: must not be negative, was PT-1S");
  }

  @Test
  void contextLengthExceeded_limitWhenGiven() {
    assertThat(
            new ProviderException.ContextLengthExceeded(OPENROUTER, "m", "too long", 8192, null)
                .contextLimit())
        .hasValue(8192);
    assertThat(
            new ProviderException.ContextLengthExceeded(OPENROUTER, "m", "too long", null, null)
                .contextLimit())
        .isEmpty();
  }

  @Test
  void contentFiltered_reasonFallsBackToTheMessage() {
    assertThat(
            new ProviderException.ContentFiltered(OPENROUTER, "m", "blocked", "self-harm", null)
                .reason())
        .isEqualTo("self-harm");
    assertThat(
            new ProviderException.ContentFiltered(OPENROUTER, "m", "blocked", null, null).reason())
        .isEqualTo("blocked");
    assertThat(
            new ProviderException.ContentFiltered(OPENROUTER, "m", "blocked", "  ", null).reason())
        .isEqualTo("blocked");
  }
}
