package dev.tta.models.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.provider.ErrorClass;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each upstream failure's status, type and code, as docs/features/gateway.md lists them. */
class UpstreamErrorTest {

  @Test
  void everyErrorClass_hasTheDocumentedStatusTypeAndCode() {
    List<String> rows =
        Arrays.stream(ErrorClass.values())
            .map(error -> OpenAiApi.upstreamError(error, "m"))
            .map(e -> e.status() + " " + e.type() + " " + e.code() + " " + e.param())
            .toList();

    assertThat(rows)
        .containsExactlyInAnyOrder(
            "400 invalid_request_error invalid_request null",
            "400 invalid_request_error context_length_exceeded messages",
            "400 invalid_request_error content_filter null",
            "429 upstream_error upstream_rate_limited null",
            "503 upstream_error upstream_unavailable null",
            "504 upstream_error upstream_timeout null",
            "503 upstream_error cancelled null",
            "502 upstream_error upstream_authentication null",
            "502 upstream_error upstream_model_not_found null");
  }

  @Test
  void theMessage_isTheOneGiven_inTheBody() {
    OpenAiError error = OpenAiApi.upstreamError(ErrorClass.TIMEOUT, "no first token in 10s");

    assertThat(error.getMessage()).isEqualTo("no first token in 10s");
    assertThat(error.body().toString())
        .isEqualTo(
            "{error={message=no first token in 10s, type=upstream_error, param=null,"
                + " code=upstream_timeout}}");
    assertThat(error.retryAfter()).isEmpty();
  }
}
