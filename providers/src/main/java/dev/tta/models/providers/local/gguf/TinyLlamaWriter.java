package dev.tta.models.providers.local.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes a tiny llama model with random weights as GGUF v3, which llama.cpp loads and generates
 * from: tests and the offline default need a real model and no download. The vocabulary is a
 * sentencepiece one (unknown, begin, end, the 256 byte tokens, then printable ASCII pieces), so any
 * text tokenizes; its chat template is ChatML. Every weight is F32 and the same seed gives the same
 * bytes.
 *
 * <p>A chain of tokens is planted in the small random weights so that greedy decoding gives a text
 * known in advance, which tests assert exactly: every token outside {@link #CHAIN} embeds as about
 * the unit vector {@code e0}, chain token {@code i} as {@code e(i+1)}, and the output row of chain
 * token {@code i} is {@code e(i)} (the first one's also {@code e(n)}, n the chain's length). The
 * blocks' weights are too small to turn the residual away from its token's direction, so after any
 * other token comes the first of the chain, after each chain token the next, and after the last the
 * first again: at temperature 0 every answer is {@code " Hi from Hi from ..."}, and never ends
 * before its token limit.
 */
public final class TinyLlamaWriter {

  public static final String NAME = "tta-tiny-random";
  public static final int CONTEXT_LENGTH = 512;
  static final int EMBEDDING = 16;
  static final int HEADS = 2;
  static final int FEED_FORWARD = 32;
  static final int BLOCKS = 2;
  static final int ALIGNMENT = 32;

  /** The planted tokens, in order: together they read {@code " Hi from"}. */
  public static final List<String> CHAIN = List.of("\u2581H", "i", "\u2581f", "r", "o", "m");

  static final String CHAT_TEMPLATE =
      "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' +"
          + " message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt"
          + " %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private static final int TYPE_UINT32 = 4;
  private static final int TYPE_INT32 = 5;
  private static final int TYPE_FLOAT32 = 6;
  private static final int TYPE_STRING = 8;
  private static final int TYPE_ARRAY = 9;
  private static final int GGML_F32 = 0;
  private static final int METADATA_KEYS = 18;

  private TinyLlamaWriter() {}

  /**
   * Writes the model to {@code target} (through a temporary file beside it, so a reader never sees
   * half a model).
   */
  public static void write(Path target, long seed) throws IOException {
    write(target, seed, true);
  }

  /**
   * Writes the model, with or without its chat template: many base models have none, and are then
   * prompted with a plain transcript.
   */
  public static void write(Path target, long seed, boolean chatTemplate) throws IOException {
    write(target, seed, chatTemplate ? Optional.of(CHAT_TEMPLATE) : Optional.empty());
  }

  /**
   * Writes the model with {@code chatTemplate} as its {@code tokenizer.chat_template}, or with none
   * when empty: to check that a model is prompted with the template its file carries.
   */
  public static void write(Path target, long seed, Optional<String> chatTemplate)
      throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, ".tiny-", ".gguf.part");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
        new Gguf(seed, chatTemplate).writeTo(out);
      }
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** The vocabulary: its pieces and their sentencepiece types. */
  static List<String> vocabulary() {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
    }
    tokens.add("\u2581");
    for (char c = '!'; c <= '~'; c++) {
      tokens.add(String.valueOf(c));
      tokens.add("\u2581" + c);
    }
    return tokens;
  }

  private static final class Gguf {
    private final SplittableRandom random;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private final List<String> vocabulary = vocabulary();
    private final List<Integer> chain = CHAIN.stream().map(vocabulary::indexOf).toList();
    private final Optional<String> chatTemplate;

    Gguf(long seed, Optional<String> chatTemplate) {
      this.random = new SplittableRandom(seed);
      this.chatTemplate = chatTemplate;
    }

    void writeTo(OutputStream out) throws IOException {
      Map<String, long[]> tensors = tensorShapes();
      u32(out, 0x46554747);
      u32(out, 3);
      u64(out, tensors.size());
      u64(out, chatTemplate.isPresent() ? METADATA_KEYS : METADATA_KEYS - 1);
      stringKey(out, "general.architecture", "llama");
      stringKey(out, "general.name", NAME);
      u32Key(out, "general.file_type", 0);
      u32Key(out, "llama.context_length", CONTEXT_LENGTH);
      u32Key(out, "llama.embedding_length", EMBEDDING);
      u32Key(out, "llama.block_count", BLOCKS);
      u32Key(out, "llama.feed_forward_length", FEED_FORWARD);
      u32Key(out, "llama.rope.dimension_count", EMBEDDING / HEADS);
      u32Key(out, "llama.attention.head_count", HEADS);
      u32Key(out, "llama.attention.head_count_kv", HEADS);
      string(out, "llama.attention.layer_norm_rms_epsilon");
      u32(out, TYPE_FLOAT32);
      f32(out, 1e-5f);
      stringKey(out, "tokenizer.ggml.model", "llama");
      vocabularyKeys(out);
      u32Key(out, "tokenizer.ggml.bos_token_id", 1);
      u32Key(out, "tokenizer.ggml.eos_token_id", 2);
      if (chatTemplate.isPresent()) {
        stringKey(out, "tokenizer.chat_template", chatTemplate.get());
      }
      long offset = 0;
      for (Map.Entry<String, long[]> tensor : tensors.entrySet()) {
        string(out, tensor.getKey());
        u32(out, tensor.getValue().length);
        for (long dimension : tensor.getValue()) {
          u64(out, dimension);
        }
        u32(out, GGML_F32);
        u64(out, offset);
        offset = align(offset + 4 * elements(tensor.getValue()));
      }
      pad(out);
      for (Map.Entry<String, long[]> tensor : tensors.entrySet()) {
        String name = tensor.getKey();
        boolean norm = name.endsWith("norm.weight");
        long count = elements(tensor.getValue());
        for (long i = 0; i < count; i++) {
          float value = norm ? 1.0f : (float) (random.nextGaussian() * 0.02);
          f32(out, value + planted(name, (int) (i / EMBEDDING), (int) (i % EMBEDDING)));
        }
        pad(out);
      }
    }

    /** The chain's part of a weight of a token's row (embedding values are the fastest index). */
    private float planted(String tensor, int token, int dimension) {
      int link = chain.indexOf(token);
      return switch (tensor) {
        case "token_embd.weight" -> dimension == (link < 0 ? 0 : link + 1) ? 1 : 0;
        case "output.weight" ->
            link >= 0 && (dimension == link || link == 0 && dimension == chain.size()) ? 1 : 0;
        default -> 0;
      };
    }

    private void vocabularyKeys(OutputStream out) throws IOException {
      string(out, "tokenizer.ggml.tokens");
      u32(out, TYPE_ARRAY);
      u32(out, TYPE_STRING);
      u64(out, vocabulary.size());
      for (String token : vocabulary) {
        string(out, token);
      }
      string(out, "tokenizer.ggml.scores");
      u32(out, TYPE_ARRAY);
      u32(out, TYPE_FLOAT32);
      u64(out, vocabulary.size());
      for (int i = 0; i < vocabulary.size(); i++) {
        f32(out, i < 259 ? 0f : -(i - 259));
      }
      string(out, "tokenizer.ggml.token_type");
      u32(out, TYPE_ARRAY);
      u32(out, TYPE_INT32);
      u64(out, vocabulary.size());
      for (int i = 0; i < vocabulary.size(); i++) {
        // 2 unknown, 3 control, 6 byte, 1 normal
        u32(out, i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1);
      }
    }

    private Map<String, long[]> tensorShapes() {
      Map<String, long[]> shapes = new LinkedHashMap<>();
      long vocab = vocabulary.size();
      shapes.put("token_embd.weight", new long[] {EMBEDDING, vocab});
      for (int b = 0; b < BLOCKS; b++) {
        String block = "blk." + b + ".";
        shapes.put(block + "attn_norm.weight", new long[] {EMBEDDING});
        shapes.put(block + "attn_q.weight", new long[] {EMBEDDING, EMBEDDING});
        shapes.put(block + "attn_k.weight", new long[] {EMBEDDING, EMBEDDING});
        shapes.put(block + "attn_v.weight", new long[] {EMBEDDING, EMBEDDING});
        shapes.put(block + "attn_output.weight", new long[] {EMBEDDING, EMBEDDING});
        shapes.put(block + "ffn_norm.weight", new long[] {EMBEDDING});
        shapes.put(block + "ffn_gate.weight", new long[] {EMBEDDING, FEED_FORWARD});
        shapes.put(block + "ffn_up.weight", new long[] {EMBEDDING, FEED_FORWARD});
        shapes.put(block + "ffn_down.weight", new long[] {FEED_FORWARD, EMBEDDING});
      }
      shapes.put("output_norm.weight", new long[] {EMBEDDING});
      shapes.put("output.weight", new long[] {EMBEDDING, vocab});
      return shapes;
    }

    private static long elements(long[] shape) {
      long product = 1;
      for (long dimension : shape) {
        product *= dimension;
      }
      return product;
    }

    private static long align(long offset) {
      return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private long written;

    private void pad(OutputStream out) throws IOException {
      while (written % ALIGNMENT != 0) {
        out.write(0);
        written++;
      }
    }

    private void stringKey(OutputStream out, String key, String value) throws IOException {
      string(out, key);
      u32(out, TYPE_STRING);
      string(out, value);
    }

    private void u32Key(OutputStream out, String key, int value) throws IOException {
      string(out, key);
      u32(out, TYPE_UINT32);
      u32(out, value);
    }

    private void string(OutputStream out, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      u64(out, bytes.length);
      out.write(bytes);
      written += bytes.length;
    }

    private void u32(OutputStream out, int value) throws IOException {
      out.write(scratch.clear().putInt(value).array(), 0, 4);
      written += 4;
    }

    private void u64(OutputStream out, long value) throws IOException {
      out.write(scratch.clear().putLong(value).array(), 0, 8);
      written += 8;
    }

    private void f32(OutputStream out, float value) throws IOException {
      out.write(scratch.clear().putFloat(value).array(), 0, 4);
      written += 4;
    }
  }
}
