package dev.tta.models.providers.local.gguf;

import static dev.tta.models.providers.local.gguf.GgufReaderTest.concat;
import static dev.tta.models.providers.local.gguf.GgufReaderTest.header;
import static dev.tta.models.providers.local.gguf.GgufReaderTest.kv;
import static dev.tta.models.providers.local.gguf.GgufReaderTest.le32;
import static dev.tta.models.providers.local.gguf.GgufReaderTest.le64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the GGUF header reader with the bytes of a whole file, as the local provider reads every
 * file in its model folders.
 *
 * <p>Property: for any file, {@link GgufReader#read} returns a header or throws a {@link
 * GgufException} naming the file and the byte offset where the fault is, never another exception
 * and never an allocation beyond what the file holds (a count or length claiming more than the file
 * is refused before anything is allocated). Every header it returns can be described (parameter
 * count, memory estimate, file type) without an exception.
 */
class GgufReaderFuzzTest {

  private static final Pattern OFFSET = Pattern.compile("\\(at byte (\\d+)\\)$");
  private static final long TWO_TO_THE_60 = 1L << 60;

  @TempDir static Path dir;

  @FuzzTest
  void ggufHeader(byte[] bytes) throws IOException {
    Path file = dir.resolve("fuzzed.gguf");
    Files.write(file, bytes);
    GgufFile gguf;
    try {
      gguf = GgufReader.read(file);
    } catch (GgufException e) {
      assertThat(e.path()).isEqualTo(file);
      assertThat(e.getMessage()).startsWith(file + ": ");
      Matcher offset = OFFSET.matcher(e.getMessage());
      assertThat(offset.find()).as("names the byte offset: %s", e.getMessage()).isTrue();
      assertThat(Long.parseLong(offset.group(1))).isBetween(0L, (long) bytes.length);
      return;
    }
    assertThat(gguf.sizeBytes()).isEqualTo(bytes.length);
    assertThat(gguf.metadata().size() + gguf.tensors().size())
        .isLessThanOrEqualTo(bytes.length / 8);
    assertThat(gguf.parameterCount()).isNotNegative();
    assertThat(gguf.fileTypeName()).isNotBlank();
    gguf.estimatedMemoryBytes(gguf.contextLength().orElse(4096));
  }

  /** A real small model, written at test time, read the same way. */
  @Test
  void tinyLlamaWriterFile_readsAndDescribes() throws IOException {
    Path file = dir.resolve("tiny.gguf");
    TinyLlamaWriter.write(file, 3);

    ggufHeader(Files.readAllBytes(file));
  }

  /**
   * Each length field claiming 2^60 (1152921504606846976) is refused with the field's name and the
   * file's size, before anything of that size is allocated.
   */
  @Test
  void lengthFieldsClaiming2To60_refusedNamingTheField() throws IOException {
    // magic (bytes 0-3), version (4-7), tensor count (8-15), metadata count (16-23): 24 bytes
    assertRefused(
        header(TWO_TO_THE_60, 0),
        "declares a tensor count of 1152921504606846976, more than its 24 bytes can hold"
            + " (at byte 8)");
    assertRefused(
        header(0, TWO_TO_THE_60),
        "declares a metadata count of 1152921504606846976, more than its 24 bytes can hold"
            + " (at byte 16)");
    // then the first key's length (24-31): 32 bytes
    assertRefused(
        concat(header(0, 1), le64(TWO_TO_THE_60)),
        "declares a string length of 1152921504606846976, more than its 32 bytes can hold"
            + " (at byte 24)");
    // the key "a" (24-32), its type (33-36), the element type (37-40), the length (41-48): 49
    assertRefused(
        concat(header(0, 1), kv("a", 9, concat(le32(4), le64(TWO_TO_THE_60)))),
        "declares a length of 'a' of 1152921504606846976, more than its 49 bytes can hold"
            + " (at byte 41)");
  }

  private static void assertRefused(byte[] bytes, String fault) throws IOException {
    Path file = dir.resolve("claims.gguf");
    Files.write(file, bytes);
    assertThatThrownBy(() -> GgufReader.read(file))
        .isInstanceOf(GgufException.class)
        .hasMessage(file + ": " + fault);
  }
}
