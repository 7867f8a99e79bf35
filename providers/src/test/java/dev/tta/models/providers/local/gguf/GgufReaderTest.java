package dev.tta.models.providers.local.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.providers.local.gguf.GgufFile.GgufArray;
import dev.tta.models.testkit.SharedFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {

  @TempDir Path dir;

  /**
   * ../shared/models/llama-2-tiny-random.gguf, a GGUF written by others. The values were read with
   * a separate script from the bytes; its 513048 parameters are also what llama.cpp's server
   * reported for it ({@code meta.n_params} in the llama-server recordings).
   */
  @Test
  void sharedTinyLlama_headerValues() {
    GgufFile file = GgufReader.read(SharedFixtures.require("models/llama-2-tiny-random.gguf"));

    assertThat(file.version()).isEqualTo(3);
    assertThat(file.metadata()).hasSize(18);
    assertThat(file.tensors()).hasSize(12);
    assertThat(file.architecture()).isEqualTo("llama");
    assertThat(file.string("general.name")).contains("LLaMA v2");
    assertThat(file.contextLength()).isEqualTo(OptionalLong.of(4096));
    assertThat(file.architectureInteger("embedding_length")).isEqualTo(OptionalLong.of(8));
    assertThat(file.architectureInteger("block_count")).isEqualTo(OptionalLong.of(1));
    assertThat(file.fileTypeName()).isEqualTo("F16");
    assertThat(file.parameterCount()).isEqualTo(513_048);
    assertThat(file.hasChatTemplate()).isFalse();
    assertThat(file.sizeBytes()).isEqualTo(1_750_560);
    GgufArray tokens = (GgufArray) file.metadata().get("tokenizer.ggml.tokens");
    assertThat(tokens.length()).isEqualTo(32_000);
    assertThat(tokens.elements()).startsWith("<unk>", "<s>", "</s>", "<0x00>", "<0x01>");
    assertThat(tokens.elements()).hasSize(GgufReader.KEPT_ARRAY_ELEMENTS);
    assertThat((double) file.metadata().get("llama.attention.layer_norm_rms_epsilon"))
        .isCloseTo(1e-5, within(1e-9));
    assertThat(file.tensors().getFirst().name()).isEqualTo("token_embd.weight");
    assertThat(file.tensors().getFirst().dimensions()).containsExactly(8L, 32_000L);
    assertThat(file.tensors().getFirst().type()).isEqualTo(1);
    // 1750560 + 2 x 1 block x 4096 tokens x 8 x 2 / 2 heads x 2 bytes
    assertThat(file.estimatedMemoryBytes(4096)).isEqualTo(1_750_560 + 131_072);
  }

  /** Every value type, written by hand. */
  @Test
  void everyValueType() throws IOException {
    Path file =
        write(
            header(0, 13),
            kv("u8", 0, b(200)),
            kv("i8", 1, b(-2)),
            kv("u16", 2, le16(65_000)),
            kv("i16", 3, le16(-3)),
            kv("u32", 4, le32(4_000_000_000L)),
            kv("i32", 5, le32(-4)),
            kv("f32", 6, le32(Float.floatToIntBits(0.5f))),
            kv("bool", 7, b(1)),
            kv("str", 8, str("héllo")),
            kv("arr", 9, concat(le32(4), le64(2), le32(7), le32(8))),
            kv("u64", 10, le64(1L << 40)),
            kv("i64", 11, le64(-5)),
            kv("f64", 12, le64(Double.doubleToLongBits(0.25))));

    GgufFile gguf = GgufReader.read(file);

    assertThat(gguf.metadata())
        .containsEntry("u8", 200L)
        .containsEntry("i8", -2L)
        .containsEntry("u16", 65_000L)
        .containsEntry("i16", -3L)
        .containsEntry("u32", 4_000_000_000L)
        .containsEntry("i32", -4L)
        .containsEntry("f32", 0.5)
        .containsEntry("bool", true)
        .containsEntry("str", "héllo")
        .containsEntry("arr", new GgufArray(4, 2, List.of(7L, 8L)))
        .containsEntry("u64", 1L << 40)
        .containsEntry("i64", -5L)
        .containsEntry("f64", 0.25);
    assertThat(gguf.architecture()).isEmpty();
    assertThat(gguf.hasChatTemplate()).isFalse();
    assertThat(gguf.fileTypeName()).isEqualTo("unknown");
    assertThat(gguf.string("u8")).isEmpty();
    assertThat(gguf.integer("str")).isEmpty();
    assertThat(gguf.parameterCount()).isZero();
  }

  @Test
  void corruptFiles_refusedNamingTheFileAndTheFault() throws IOException {
    assertFault(write(le32(0x12345678), le32(3)), "is not a GGUF file (no GGUF magic)");
    assertFault(write(le32(GgufReader.MAGIC), le32(9)), "has GGUF version 9; 2 and 3 are read");
    assertFault(
        write(le32(GgufReader.MAGIC), le32(3), le64(0)), "ends inside its header (truncated)");
    assertFault(
        write(header(0, 1), kv("big", 9, concat(le32(4), le64(1L << 40)))),
        "declares a length of 'big' of 1099511627776, more than its");
    assertFault(write(header(1L << 50, 0)), "declares a tensor count of 1125899906842624");
    assertFault(write(header(0, 1), kv("odd", 13, b(0))), "metadata 'odd' has unknown type 13");
    assertFault(
        write(header(0, 1), kv("nested", 9, concat(le32(9), le64(0)))),
        "metadata 'nested' is an array of arrays");
    assertFault(
        write(header(0, 1), concat(le64(2), new byte[] {(byte) 0xC3, (byte) 0x28}, le32(0), b(0))),
        "has a string that is not UTF-8");
    assertFault(write(header(1, 0), str("t"), le32(5)), "tensor 't' has 5 dimensions");
    assertFault(dir.resolve("missing.gguf"), "cannot be read");
    // 24 header bytes, the key "a" in 9, its type 4, the element type 4 and the length 8: 49 bytes,
    // so a length of 49 one-byte elements may be declared (and then runs out), 50 may not
    assertFault(
        write(header(0, 1), kv("a", 9, concat(le32(0), le64(49)))),
        "ends inside its header (truncated)");
    assertFault(
        write(header(0, 1), kv("a", 9, concat(le32(0), le64(50)))),
        "declares a length of 'a' of 50, more than its 49 bytes can hold");
    assertFault(write(header(-1, 0)), "declares a tensor count of 18446744073709551615");
  }

  @Test
  void faults_nameTheByteOffsetWhereTheFieldAtFaultStarts() throws IOException {
    assertThatThrownBy(() -> GgufReader.read(write(le32(0x12345678), le32(3))))
        .hasMessageEndingWith("is not a GGUF file (no GGUF magic) (at byte 0)");
    assertThatThrownBy(() -> GgufReader.read(write(le32(GgufReader.MAGIC), le32(9))))
        .hasMessageEndingWith("has GGUF version 9; 2 and 3 are read (at byte 4)");
    // the metadata count would start at byte 16, after magic, version and tensor count
    assertThatThrownBy(() -> GgufReader.read(write(le32(GgufReader.MAGIC), le32(3), le64(0))))
        .hasMessageEndingWith("ends inside its header (truncated) (at byte 16)");
    // header 24 bytes, then the key's length (24-31) and its two bytes from 32
    assertThatThrownBy(
            () ->
                GgufReader.read(
                    write(
                        header(0, 1),
                        concat(le64(2), new byte[] {(byte) 0xC3, (byte) 0x28}, le32(0), b(0)))))
        .hasMessageEndingWith("has a string that is not UTF-8 (at byte 32)");
    // the key "k" (24-32), then its type from 33
    assertThatThrownBy(() -> GgufReader.read(write(header(0, 1), kv("k", 13, b(0)))))
        .hasMessageEndingWith("metadata 'k' has unknown type 13 (at byte 33)");
    // the key "k" (24-32), type i32 (33-36), and its value from 37 cut after two bytes
    assertThatThrownBy(() -> GgufReader.read(write(header(0, 1), kv("k", 5, new byte[2]))))
        .hasMessageEndingWith("ends inside its header (truncated) (at byte 37)");
    // a one-byte value at 37, then the key "k" (38-46) and its type from 47
    assertThatThrownBy(
            () -> GgufReader.read(write(header(0, 2), kv("a", 0, b(7)), kv("k", 13, b(0)))))
        .hasMessageEndingWith("metadata 'k' has unknown type 13 (at byte 47)");
  }

  /**
   * Found by GgufReaderFuzzTest: dimensions whose product overflowed made parameterCount() throw. A
   * file of 57 bytes (header 24, the name "t" 9, one dimension: count 4, size 8, type 4, offset 8)
   * holds at most 8 x 57 = 456 one-bit weights.
   */
  @Test
  void tensorDimensions_moreWeightsThanTheFileHolds_refusedAtTheDimension() throws IOException {
    GgufFile fits =
        GgufReader.read(write(header(1, 0), str("t"), le32(1), le64(456), le32(0), le64(0)));
    assertThat(fits.parameterCount()).isEqualTo(456);
    // the dimension starts after the header (24), the name (9) and the dimension count (4)
    assertFault(
        write(header(1, 0), str("t"), le32(1), le64(457), le32(0), le64(0)),
        "tensor 't' has a dimension of 457, more weights than its 57 bytes can hold (at byte 37)");
    // a dimension of 0 holds no weight; one of 2^63 or more reads as negative
    assertThat(
            GgufReader.read(write(header(1, 0), str("t"), le32(1), le64(0), le32(0), le64(0)))
                .parameterCount())
        .isZero();
    assertFault(
        write(header(1, 0), str("t"), le32(1), le64(Long.MIN_VALUE), le32(0), le64(0)),
        "tensor 't' has a dimension of 9223372036854775808, more weights than its 57 bytes can hold"
            + " (at byte 37)");
    // two tensors share the 8 x 90 = 720 weights of a 90-byte file; the second dimension starts at
    // 24 + 33 (the first tensor) + 9 (the name "b") + 4 (its dimension count) = 70
    assertThat(
            GgufReader.read(write(header(2, 0), tensor("a", 400), tensor("b", 320)))
                .parameterCount())
        .isEqualTo(720);
    assertFault(
        write(header(2, 0), tensor("a", 400), tensor("b", 400)),
        "tensor 'b' has a dimension of 400, more weights than its 90 bytes can hold (at byte 70)");
    // 8 x 2^32 weights: the second dimension is refused at its own bytes (65 bytes hold 520)
    assertFault(
        write(header(1, 0), str("t"), le32(2), le64(8), le64(1L << 32), le32(0), le64(0)),
        "tensor 't' has a dimension of 4294967296, more weights than its 65 bytes can hold (at byte 45)");
  }

  @Test
  void tinyLlamaWriter_roundTrip_valuesWorkedOutByHand() throws IOException {
    Path file = dir.resolve("tiny.gguf");
    TinyLlamaWriter.write(file, 7);
    byte[] first = Files.readAllBytes(file);
    TinyLlamaWriter.write(file, 7);

    GgufFile gguf = GgufReader.read(file);

    assertThat(Files.readAllBytes(file)).isEqualTo(first);
    assertThat(gguf.version()).isEqualTo(3);
    assertThat(gguf.metadata()).hasSize(18);
    assertThat(gguf.architecture()).isEqualTo("llama");
    assertThat(gguf.string("general.name")).contains("tta-tiny-random");
    assertThat(gguf.contextLength()).isEqualTo(OptionalLong.of(512));
    assertThat(gguf.architectureInteger("embedding_length")).isEqualTo(OptionalLong.of(16));
    assertThat(gguf.architectureInteger("block_count")).isEqualTo(OptionalLong.of(2));
    assertThat(gguf.hasChatTemplate()).isTrue();
    // no tokenizer.ggml.add_bos_token: llama.cpp's default for the llama tokenizer
    assertThat(gguf.addsBeginToken()).isTrue();
    assertThat(gguf.fileTypeName()).isEqualTo("F32");
    assertThat((double) gguf.metadata().get("llama.attention.layer_norm_rms_epsilon"))
        .isCloseTo(1e-5, within(1e-9));
    // vocabulary: 3 special + 256 bytes + the space piece + 94 printable characters twice = 448;
    // weights: embedding and output 16 x 448 each, per block 2 x 16 norms + 4 x 16 x 16 attention
    // + 3 x 16 x 32 feed-forward = 2592, two blocks, and the 16 of the output norm
    GgufArray tokens = (GgufArray) gguf.metadata().get("tokenizer.ggml.tokens");
    assertThat(tokens.length()).isEqualTo(448);
    assertThat(tokens.elements()).startsWith("<unk>", "<s>", "</s>", "<0x00>", "<0x01>");
    // only the first 64 of the 448 are kept
    assertThat(tokens.elements()).hasSize(64);
    assertThat(gguf.parameterCount()).isEqualTo(2 * 16 * 448 + 2 * 2592 + 16);
    assertThat(gguf.tensors()).hasSize(2 + 2 * 9 + 1);
    assertThat(gguf.tensors().getFirst().name()).isEqualTo("token_embd.weight");
    assertThat(gguf.tensors().getFirst().dimensions()).containsExactly(16L, 448L);
    assertThat(gguf.tensors().getFirst().type()).isZero();
    assertThat(gguf.tensors()).allSatisfy(t -> assertThat(t.offset() % 32).isZero());
    assertThat(gguf.sizeBytes()).isEqualTo(first.length);
    // the file, plus 2 (K and V) x 2 blocks x 512 tokens x 16 x 2 kv-heads / 2 heads x 2 bytes
    assertThat(gguf.estimatedMemoryBytes(512)).isEqualTo(first.length + 65_536L);
    assertThat(TinyLlamaWriter.vocabulary()).hasSize(448);
    assertThat(dir).isDirectoryNotContaining("glob:**.part");
    TinyLlamaWriter.write(dir.resolve("other.gguf"), 8);
    assertThat(Files.readAllBytes(dir.resolve("other.gguf"))).isNotEqualTo(first);
  }

  @Test
  void tinyLlamaWriter_withoutChatTemplate_oneKeyLess() throws IOException {
    Path file = dir.resolve("plain.gguf");
    TinyLlamaWriter.write(file, 7, false);

    GgufFile gguf = GgufReader.read(file);

    assertThat(gguf.metadata()).hasSize(17).doesNotContainKey("tokenizer.chat_template");
    assertThat(gguf.hasChatTemplate()).isFalse();
    assertThat(gguf.parameterCount()).isEqualTo(2 * 16 * 448 + 2 * 2592 + 16);
  }

  /** Grouped-query attention: the cache holds only the kv-heads' share of each embedding. */
  @Test
  void estimatedMemory_kvHeadsShareOfTheEmbedding_andNoHeadsTheWholeOne() throws IOException {
    Path grouped =
        write(
            header(0, 5),
            kv("general.architecture", 8, str("llama")),
            kv("llama.block_count", 4, le32(3)),
            kv("llama.embedding_length", 4, le32(64)),
            kv("llama.attention.head_count", 4, le32(8)),
            kv("llama.attention.head_count_kv", 4, le32(2)));
    Path headless =
        write(
            header(0, 4),
            kv("general.architecture", 8, str("llama")),
            kv("llama.block_count", 4, le32(3)),
            kv("llama.embedding_length", 4, le32(64)),
            kv("llama.attention.head_count", 4, le32(0)));

    // 2 x 3 blocks x 100 tokens x (64 x 2 / 8 = 16) x 2 bytes = 19200
    assertThat(GgufReader.read(grouped).estimatedMemoryBytes(100))
        .isEqualTo(Files.size(grouped) + 19_200L);
    // no heads stated as 0: the whole embedding, 2 x 3 x 100 x 64 x 2 = 76800
    assertThat(GgufReader.read(headless).estimatedMemoryBytes(100))
        .isEqualTo(Files.size(headless) + 76_800L);
  }

  /** llama.cpp's rule: the stated add_bos_token, else yes for the llama tokenizer only. */
  @Test
  void addsBeginToken_statedOrTheTokenizersDefault() throws IOException {
    assertThat(
            GgufReader.read(write(header(0, 1), kv("tokenizer.ggml.add_bos_token", 7, b(0))))
                .addsBeginToken())
        .isFalse();
    assertThat(
            GgufReader.read(
                    write(
                        header(0, 2),
                        kv("tokenizer.ggml.model", 8, str("llama")),
                        kv("tokenizer.ggml.add_bos_token", 7, b(0))))
                .addsBeginToken())
        .isFalse();
    assertThat(
            GgufReader.read(write(header(0, 1), kv("tokenizer.ggml.add_bos_token", 7, b(1))))
                .addsBeginToken())
        .isTrue();
    assertThat(
            GgufReader.read(write(header(0, 1), kv("tokenizer.ggml.model", 8, str("gpt2"))))
                .addsBeginToken())
        .isFalse();
    assertThat(GgufReader.read(write(header(0, 0))).addsBeginToken()).isFalse();
  }

  private void assertFault(Path file, String fault) {
    assertThatThrownBy(() -> GgufReader.read(file))
        .isInstanceOf(GgufException.class)
        .hasMessageStartingWith(file + ": " + fault)
        .satisfies(e -> assertThat(((GgufException) e).path()).isEqualTo(file));
  }

  private int files;

  private Path write(byte[]... parts) throws IOException {
    Path file = dir.resolve("f" + files++ + ".gguf");
    Files.write(file, concat(parts));
    return file;
  }

  static byte[] header(long tensors, long keys) {
    return concat(le32(GgufReader.MAGIC), le32(3), le64(tensors), le64(keys));
  }

  /** A tensor's info with one dimension: 33 bytes for a one-letter name. */
  static byte[] tensor(String name, long dimension) {
    return concat(str(name), le32(1), le64(dimension), le32(0), le64(0));
  }

  static byte[] kv(String key, int type, byte[] value) {
    return concat(str(key), le32(type), value);
  }

  static byte[] str(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return concat(le64(bytes.length), bytes);
  }

  static byte[] b(int value) {
    return new byte[] {(byte) value};
  }

  static byte[] le16(int value) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array();
  }

  static byte[] le32(long value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
  }

  static byte[] le64(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.array();
  }
}
