package dev.tta.models.providers.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of this package: lenient in what it reads, since servers add fields. */
public final class OpenAiJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  // Jackson's default keeps its buffers per thread, and every gateway request runs
                  // on a virtual thread of its own: each request body encoded allocated about 16 KB
                  // of fresh buffers (a tenth of the gateway's allocation under load)
                  .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private OpenAiJson() {}

  /** Thread-safe once configured, so shared. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
