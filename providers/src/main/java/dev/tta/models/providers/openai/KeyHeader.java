package dev.tta.models.providers.openai;

import dev.tta.models.providers.http.Secret;
import java.util.Map;

/** Where a request carries the API key. */
public enum KeyHeader {
  /** {@code Authorization: Bearer <key>}: OpenAI and the servers that copy its API. */
  BEARER,
  /** {@code x-api-key: <key>}: Anthropic's Messages API. */
  X_API_KEY;

  void put(Map<String, String> headers, Secret key) {
    switch (this) {
      case BEARER -> headers.put("Authorization", "Bearer " + key.reveal());
      case X_API_KEY -> headers.put("x-api-key", key.reveal());
    }
  }
}
