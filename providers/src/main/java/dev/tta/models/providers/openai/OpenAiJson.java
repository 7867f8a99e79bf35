package dev.tta.models.providers.openai;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of this package: lenient in what it reads, since servers add fields. */
public final class OpenAiJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private OpenAiJson() {}

  /** Thread-safe once configured, so shared. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
