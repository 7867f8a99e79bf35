package dev.tta.models.hardware;

import dev.tta.models.internal.Checks;

/**
 * Estimates a local model's memory need from its shape, as llama.cpp-style runtimes lay it out:
 *
 * <pre>
 *   weights  = ceil(parameters x bits per weight / 8)        (or the weights file's size)
 *   KV cache = 2 (keys and values) x layers x context x embedding x 2 bytes (f16)
 *   working set = weights + KV cache + {@value #RUNTIME_OVERHEAD_BYTES} bytes runtime overhead
 * </pre>
 *
 * RAM and VRAM need are both the working set; disk is the weights. The KV term assumes every
 * attention head has its own keys and values; models with grouped-query attention need less, so for
 * them this is an upper bound.
 */
public final class ModelMemoryEstimator {

  /** Compute buffers, scratch space and the runtime itself: 512 MiB. */
  public static final long RUNTIME_OVERHEAD_BYTES = 512L * 1024 * 1024;

  /** Keys and values are cached at 16-bit precision. */
  public static final int KV_BYTES_PER_VALUE = 2;

  /** Keys and values: two cached tensors per layer. */
  public static final int KV_TENSORS_PER_LAYER = 2;

  /** The widest weight format in use (f32). */
  public static final double MAX_BITS_PER_WEIGHT = 32;

  private ModelMemoryEstimator() {}

  /**
   * @param parameterCount the model's parameters, for example 7,000,000,000
   * @param bitsPerWeight average bits per weight of its quantisation, for example 4.5 for Q4_K_M
   */
  public static MemoryEstimate forWeights(
      long parameterCount,
      double bitsPerWeight,
      int contextLength,
      int layerCount,
      int embeddingLength) {
    return forFile(
        weightBytes(parameterCount, bitsPerWeight), contextLength, layerCount, embeddingLength);
  }

  /**
   * @param fileSizeBytes the weights file (a GGUF file is its weights and a little metadata)
   */
  public static MemoryEstimate forFile(
      long fileSizeBytes, int contextLength, int layerCount, int embeddingLength) {
    Checks.positive(fileSizeBytes, "file_size_bytes");
    long workingSet =
        Math.addExact(
            Math.addExact(fileSizeBytes, kvCacheBytes(contextLength, layerCount, embeddingLength)),
            RUNTIME_OVERHEAD_BYTES);
    return new MemoryEstimate(workingSet, workingSet, fileSizeBytes);
  }

  /** {@code ceil(parameters x bits / 8)}. */
  public static long weightBytes(long parameterCount, double bitsPerWeight) {
    Checks.positive(parameterCount, "parameter_count");
    Checks.require(
        bitsPerWeight > 0 && bitsPerWeight <= MAX_BITS_PER_WEIGHT,
        "bits_per_weight",
        "must be above 0 and at most " + MAX_BITS_PER_WEIGHT + ", was " + bitsPerWeight);
    return (long) Math.ceil(parameterCount * bitsPerWeight / Byte.SIZE);
  }

  /** {@code 2 x layers x context x embedding x 2 bytes}. */
  public static long kvCacheBytes(int contextLength, int layerCount, int embeddingLength) {
    Checks.positive(contextLength, "context_length");
    Checks.positive(layerCount, "layer_count");
    Checks.positive(embeddingLength, "embedding_length");
    return Math.multiplyExact(
        Math.multiplyExact(
            (long) KV_TENSORS_PER_LAYER * layerCount, (long) contextLength * embeddingLength),
        KV_BYTES_PER_VALUE);
  }
}
