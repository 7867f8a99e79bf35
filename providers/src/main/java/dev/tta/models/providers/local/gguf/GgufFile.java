package dev.tta.models.providers.local.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a GGUF file's header says: its metadata and its tensors. Values are {@code Long} for every
 * integer type, {@code Double} for floats, {@code Boolean}, {@code String}, or a {@link GgufArray}.
 *
 * @param path the file
 * @param version the GGUF version (2 or 3)
 * @param metadata the key-value pairs, in file order
 * @param tensors the tensor infos, in file order
 * @param sizeBytes the file's size
 */
public record GgufFile(
    Path path,
    int version,
    Map<String, Object> metadata,
    List<GgufTensor> tensors,
    long sizeBytes) {

  public GgufFile {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    tensors = List.copyOf(tensors);
  }

  /** An array value: its element type and length, with its elements when it is short. */
  public record GgufArray(int elementType, long length, List<Object> elements) {
    public GgufArray {
      elements = List.copyOf(elements);
    }
  }

  /** One tensor: its name, its dimensions (fastest first) and its GGML type. */
  public record GgufTensor(String name, List<Long> dimensions, int type, long offset) {
    public GgufTensor {
      dimensions = List.copyOf(dimensions);
    }

    public long elements() {
      long product = 1;
      for (long dimension : dimensions) {
        product = Math.multiplyExact(product, dimension);
      }
      return product;
    }
  }

  public Optional<String> string(String key) {
    return metadata.get(key) instanceof String text ? Optional.of(text) : Optional.empty();
  }

  public OptionalLong integer(String key) {
    return metadata.get(key) instanceof Long number
        ? OptionalLong.of(number)
        : OptionalLong.empty();
  }

  /** {@code general.architecture}, such as {@code llama}. */
  public String architecture() {
    return string("general.architecture").orElse("");
  }

  /** A key of the architecture's own namespace: {@code <architecture>.<name>}. */
  public OptionalLong architectureInteger(String name) {
    return integer(architecture() + "." + name);
  }

  public OptionalLong contextLength() {
    return architectureInteger("context_length");
  }

  public boolean hasChatTemplate() {
    return string("tokenizer.chat_template").isPresent();
  }

  /**
   * Whether llama.cpp puts its begin token before a prompt, which then counts as a prompt token:
   * {@code tokenizer.ggml.add_bos_token}, or where that is absent llama.cpp's default, which is yes
   * for the sentencepiece ({@code llama}) tokenizer only.
   */
  public boolean addsBeginToken() {
    return metadata.get("tokenizer.ggml.add_bos_token") instanceof Boolean adds
        ? adds
        : string("tokenizer.ggml.model").filter("llama"::equals).isPresent();
  }

  /** The number of weights, from the tensors' shapes. */
  public long parameterCount() {
    return tensors.stream().mapToLong(GgufTensor::elements).sum();
  }

  /** The name of {@code general.file_type} (llama.cpp's numbering), such as {@code Q4_K_M}. */
  public String fileTypeName() {
    OptionalLong type = integer("general.file_type");
    if (type.isEmpty()) {
      return "unknown";
    }
    return switch ((int) type.getAsLong()) {
      case 0 -> "F32";
      case 1 -> "F16";
      case 2 -> "Q4_0";
      case 3 -> "Q4_1";
      case 7 -> "Q8_0";
      case 8 -> "Q5_0";
      case 9 -> "Q5_1";
      case 10 -> "Q2_K";
      case 11 -> "Q3_K_S";
      case 12 -> "Q3_K_M";
      case 13 -> "Q3_K_L";
      case 14 -> "Q4_K_S";
      case 15 -> "Q4_K_M";
      case 16 -> "Q5_K_S";
      case 17 -> "Q5_K_M";
      case 18 -> "Q6_K";
      case 32 -> "BF16";
      default -> "type " + type.getAsLong();
    };
  }

  /**
   * The memory a loaded model needs: the file (weights are mapped whole) plus its KV cache for
   * {@code contextLength} tokens, {@code 2 (K and V) x blocks x context x embedding x kv-heads /
   * heads x 2 bytes (f16)}.
   */
  public long estimatedMemoryBytes(long contextLength) {
    long blocks = architectureInteger("block_count").orElse(0);
    long embedding = architectureInteger("embedding_length").orElse(0);
    long heads = architectureInteger("attention.head_count").orElse(1);
    long kvHeads = architectureInteger("attention.head_count_kv").orElse(heads);
    long kvEmbedding = heads > 0 ? embedding * kvHeads / heads : embedding;
    return sizeBytes + 2L * blocks * contextLength * kvEmbedding * 2L;
  }
}
