package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

final class AnthropicJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private AnthropicJson() {}

  /** Thread-safe once configured, so shared. */
  static ObjectMapper mapper() {
    return MAPPER;
  }
}
