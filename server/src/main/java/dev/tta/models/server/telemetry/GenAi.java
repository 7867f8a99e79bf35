package dev.tta.models.server.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute names: the OpenTelemetry GenAI and HTTP semantic conventions where they have one, and
 * {@code mm.routing.*} for what routing decided.
 */
final class GenAi {

  static final String CHAT = "chat";

  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("mm.attempt");
  static final AttributeKey<String> DECISION = AttributeKey.stringKey("mm.decision");
  static final AttributeKey<Boolean> USAGE_ESTIMATED =
      AttributeKey.booleanKey("mm.usage.estimated");
  static final AttributeKey<List<String>> CANDIDATES =
      AttributeKey.stringArrayKey("mm.routing.candidates");
  static final AttributeKey<List<String>> SKIPPED =
      AttributeKey.stringArrayKey("mm.routing.skipped");
  static final AttributeKey<List<String>> FALLBACKS =
      AttributeKey.stringArrayKey("mm.routing.fallbacks");
  static final AttributeKey<String> FALLBACK_REASON =
      AttributeKey.stringKey("mm.routing.fallback_reason");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("mm.routing.attempts");
  static final AttributeKey<Long> RETRIES = AttributeKey.longKey("mm.routing.retries");
  static final AttributeKey<Long> CONTINUATIONS = AttributeKey.longKey("mm.routing.continuations");
  static final AttributeKey<Long> HEDGES = AttributeKey.longKey("mm.routing.hedges");
  static final AttributeKey<String> FAILURE = AttributeKey.stringKey("mm.routing.failure");
  static final AttributeKey<String> FROM = AttributeKey.stringKey("mm.from");
  static final AttributeKey<String> TO = AttributeKey.stringKey("mm.to");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("mm.reason");

  private GenAi() {}
}
