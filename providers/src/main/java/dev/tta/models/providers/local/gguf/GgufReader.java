package dev.tta.models.providers.local.gguf;

import dev.tta.models.providers.local.gguf.GgufFile.GgufArray;
import dev.tta.models.providers.local.gguf.GgufFile.GgufTensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a GGUF file (versions 2 and 3): magic, version, counts, metadata and tensor
 * infos, all little-endian. Only the header is read, never the weights. Every length is checked
 * against what the file can hold before anything is allocated, so a corrupt or hostile file gives a
 * clear error naming the file, the fault and the byte offset of the field at fault, never an
 * out-of-memory error.
 */
public final class GgufReader {

  static final int MAGIC = 0x46554747; // "GGUF", read little-endian

  /** Arrays longer than this keep only their type and length (vocabularies run to 150,000). */
  static final int KEPT_ARRAY_ELEMENTS = 64;

  static final int MAX_DIMENSIONS = 4;

  static final int WEIGHTS_PER_BYTE = 8;

  private GgufReader() {}

  /**
   * The header of a GGUF file.
   *
   * @throws GgufException naming the file and what is wrong with it
   */
  public static GgufFile read(Path path) {
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new GgufException(path, "cannot be read: " + e.getMessage(), e);
    }
    try (InputStream file = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      Parser parser = new Parser(path, size, new PositionedStream(file));
      try {
        return parser.file();
      } catch (EOFException e) {
        throw parser.fault("ends inside its header (truncated)", e);
      }
    } catch (IOException e) {
      throw new GgufException(path, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** Counts the bytes read, so that a fault can say where in the file it is. */
  private static final class PositionedStream extends FilterInputStream {
    private long position;

    PositionedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        position++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }

  private static final class Parser {
    private final Path path;
    private final long size;
    private final PositionedStream positioned;
    private final DataInputStream in;

    /** Where the field being read starts: what a fault names. */
    private long fieldStart;

    Parser(Path path, long size, PositionedStream positioned) {
      this.path = path;
      this.size = size;
      this.positioned = positioned;
      this.in = new DataInputStream(positioned);
    }

    GgufException fault(String what, Throwable cause) {
      return new GgufException(path, what + " (at byte " + fieldStart + ")", cause);
    }

    private void startField() {
      fieldStart = positioned.position;
    }

    GgufFile file() throws IOException {
      if (u32() != MAGIC) {
        throw fault("is not a GGUF file (no GGUF magic)", null);
      }
      int version = (int) u32();
      if (version != 2 && version != 3) {
        throw fault("has GGUF version " + version + "; 2 and 3 are read", null);
      }
      long tensorCount = count(u64(), 8, "tensor count");
      long keyCount = count(u64(), 8, "metadata count");
      Map<String, Object> metadata = new LinkedHashMap<>();
      for (long i = 0; i < keyCount; i++) {
        String key = string();
        metadata.put(key, value(type(key), key));
      }
      List<GgufTensor> tensors = new ArrayList<>();
      // the weights are in the file too, and no tensor type stores one in less than a bit
      long weightsLeft = WEIGHTS_PER_BYTE * size;
      for (long i = 0; i < tensorCount; i++) {
        String name = string();
        long dimensionCount = u32();
        if (dimensionCount > MAX_DIMENSIONS) {
          throw fault("tensor '" + name + "' has " + dimensionCount + " dimensions", null);
        }
        List<Long> dimensions = new ArrayList<>();
        long weights = 1;
        for (int d = 0; d < dimensionCount; d++) {
          long dimension = u64();
          if (dimension < 0 || (dimension > 0 && weights > weightsLeft / dimension)) {
            throw fault(
                "tensor '"
                    + name
                    + "' has a dimension of "
                    + Long.toUnsignedString(dimension)
                    + ", more weights than its "
                    + size
                    + " bytes can hold",
                null);
          }
          weights *= dimension;
          dimensions.add(dimension);
        }
        weightsLeft -= weights;
        tensors.add(new GgufTensor(name, dimensions, (int) u32(), u64()));
      }
      return new GgufFile(path, version, metadata, tensors, size);
    }

    private Object value(int type, String key) throws IOException {
      startField();
      return switch (type) {
        case 0 -> (long) in.readUnsignedByte();
        case 1 -> (long) in.readByte();
        case 2 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        case 3 -> (long) Short.reverseBytes(in.readShort());
        case 4 -> u32();
        case 5 -> (long) Integer.reverseBytes(in.readInt());
        case 6 -> (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
        case 7 -> in.readUnsignedByte() != 0;
        case 8 -> string();
        case 9 -> array(key);
        case 12 -> Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
        // 10 and 11, the 64-bit integers: type() lets no other through
        default -> u64();
      };
    }

    /** A value type, refused here so that the fault names the type's own bytes. */
    private int type(String key) throws IOException {
      long type = u32();
      if (type > 12) {
        throw fault("metadata '" + key + "' has unknown type " + type, null);
      }
      return (int) type;
    }

    private GgufArray array(String key) throws IOException {
      int elementType = type(key);
      if (elementType == 9) {
        throw fault("metadata '" + key + "' is an array of arrays", null);
      }
      long length = count(u64(), 1, "length of '" + key + "'");
      List<Object> kept = new ArrayList<>();
      for (long i = 0; i < length; i++) {
        Object element = value(elementType, key);
        if (i < KEPT_ARRAY_ELEMENTS) {
          kept.add(element);
        }
      }
      return new GgufArray(elementType, length, kept);
    }

    private String string() throws IOException {
      long length = count(u64(), 1, "string length");
      startField();
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length < length) {
        throw new EOFException();
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw fault("has a string that is not UTF-8", e);
      }
    }

    /** A count whose items take at least {@code minBytes} each must fit in the file. */
    private long count(long count, int minBytes, String what) {
      if (count < 0 || count > size / minBytes || count > Integer.MAX_VALUE) {
        throw fault(
            "declares a "
                + what
                + " of "
                + Long.toUnsignedString(count)
                + ", more than its "
                + size
                + " bytes can hold",
            null);
      }
      return count;
    }

    private long u32() throws IOException {
      startField();
      return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    }

    private long u64() throws IOException {
      startField();
      return Long.reverseBytes(in.readLong());
    }
  }
}
