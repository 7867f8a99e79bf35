package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestLogTest {

  private static final Instant AT = Instant.parse("2026-12-05T04:09:35.121Z");

  @Test
  void text_isKeyValuePairs_inAFixedOrder() {
    RequestLog.Entry entry =
        new RequestLog.Entry(AT, "POST", "/v1/chat/completions", "auto", "local/tiny", 2, 200, 625);

    assertThat(RequestLog.text(entry))
        .isEqualTo(
            "method=POST path=/v1/chat/completions model=auto served=local/tiny attempts=2"
                + " status=200 latency_ms=625");
  }

  @Test
  void text_writesAnEmptyValueAsADash_andQuotesOneWithSpacesQuotesOrEquals() {
    RequestLog.Entry entry =
        new RequestLog.Entry(AT, "POST", "/v1/chat/completions", "my \"route\"=x", "", 0, 404, 3);

    assertThat(RequestLog.text(entry))
        .isEqualTo(
            "method=POST path=/v1/chat/completions model=\"my \\\"route\\\"=x\" served=-"
                + " attempts=0 status=404 latency_ms=3");
  }

  @Test
  void text_escapesControlCharacters_soThatOneRequestIsOneLine() {
    RequestLog.Entry entry =
        new RequestLog.Entry(AT, "POST", "/v1/chat/completions", "a\nb", "", 0, 404, 1);

    assertThat(RequestLog.text(entry)).contains("model=\"a\\u000ab\"").doesNotContain("\n");
  }

  @Test
  void json_hasTheSameFields_withTimeAndLevel() {
    RequestLog.Entry entry =
        new RequestLog.Entry(
            AT, "POST", "/v1/chat/completions", "story", "ollama/llama3.2", 3, 503, 1200);

    assertThat(RequestLog.json(entry, "INFO"))
        .isEqualTo(
            "{\"ts\":\"2026-12-05T04:09:35.121Z\",\"level\":\"INFO\",\"logger\":\"request\","
                + "\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"model\":\"story\","
                + "\"served\":\"ollama/llama3.2\",\"attempts\":3,\"status\":503,"
                + "\"latency_ms\":1200}");
  }

  @Test
  void polled_areHealthMetricsAndTheDashboard_notTheApis() {
    assertThat(RequestLog.polled("/health/ready")).isTrue();
    assertThat(RequestLog.polled("/metrics")).isTrue();
    assertThat(RequestLog.polled("/dashboard")).isTrue();
    assertThat(RequestLog.polled("/dashboard/app.js")).isTrue();
    assertThat(RequestLog.polled("/api/v1/dashboard")).isTrue();
    assertThat(RequestLog.polled("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")).isTrue();
    assertThat(RequestLog.polled("/v1/chat/completions")).isFalse();
    assertThat(RequestLog.polled("/v1/models")).isFalse();
    assertThat(RequestLog.polled("/api/v1/models/status")).isFalse();
  }
}
