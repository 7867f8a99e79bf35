package dev.tta.models.selection;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as explanations print them. */
final class Format {

  private static final MathContext SIGNIFICANT = new MathContext(10);
  private static final double GIB = 1024.0 * 1024 * 1024;

  private Format() {}

  /**
   * Ten significant digits without floating-point noise or exponent ({@code 8.0 x 0.3} is {@code
   * 2.4}, not {@code 2.4000000000000004}; {@code 2.0E-4} is {@code 0.0002}); whole numbers keep one
   * decimal ({@code 10.0}).
   */
  static String number(double value) {
    BigDecimal rounded = new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros();
    return rounded.setScale(Math.max(1, rounded.scale())).toPlainString();
  }

  /** Bytes in GiB with the exact count, for example {@code 4.0 GiB (4294967296 bytes)}. */
  static String bytes(long bytes) {
    return number(Math.round(bytes / GIB * 100) / 100.0) + " GiB (" + bytes + " bytes)";
  }
}
