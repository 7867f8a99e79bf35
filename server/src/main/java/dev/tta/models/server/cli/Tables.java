package dev.tta.models.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Column-aligned tables for people and JSON for scripts: the two outputs of every listing. */
final class Tables {

  static final ObjectMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private Tables() {}

  static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      int width = header.get(c).length();
      for (List<String> row : rows) {
        width = Math.max(width, row.get(c).length());
      }
      widths.add(width);
    }
    line(out, header, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, List<Integer> widths) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      text.append(cell);
      if (c < cells.size() - 1) {
        text.append(" ".repeat(widths.get(c) - cell.length() + 2));
      }
    }
    out.println(text.toString().stripTrailing());
  }

  static void json(PrintWriter out, Object value) {
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    out.flush();
  }

  /** A price per token, readable: {@code 0.00000015}, or {@code free}. */
  static String price(double perToken) {
    if (perToken == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.10f", perToken).replaceAll("0+$", "");
  }
}
