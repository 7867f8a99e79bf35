package dev.tta.models.server.openai;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Requirements a request brings itself, from {@code metadata} fields or {@code X-MM-*} headers
 * (headers win). Each is a text as sent, checked here so that a bad value is a 400 naming its
 * field.
 */
public final class RequirementHints {

  /** The requirement names, as metadata keys; the header is {@code X-MM-} plus the mapped name. */
  public static final Map<String, String> HEADERS = headers();

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();

  private static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("task_type", "X-MM-Task");
    h.put("max_cost_per_token", "X-MM-Max-Cost");
    h.put("max_latency_ms", "X-MM-Max-Latency-Ms");
    h.put("min_quality_score", "X-MM-Min-Quality");
    h.put("required_capabilities", "X-MM-Require");
    h.put("context_length_needed", "X-MM-Context-Length");
    h.put("therapeutic_safety_required", "X-MM-Safety-Required");
    h.put("prefer_free", "X-MM-Prefer-Free");
    h.put("prefer_local", "X-MM-Prefer-Local");
    return Map.copyOf(h);
  }

  /** Records one hint; {@code source} is how the error names it ({@code metadata.task_type}). */
  void put(String requirement, String value, String source) {
    values.put(requirement, value);
    sources.put(requirement, source);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * What a request asks for when it says nothing: the task, and therapeutic safety only for the
   * therapeutic task. The core's own default (safety always required) suits the therapeutic
   * platform's calls; a general-purpose gateway would refuse every local model whose safety score
   * nobody has rated for a plain chat.
   */
  public static ModelRequirements defaultsFor(TaskType task) {
    return ModelRequirements.builder(task)
        .therapeuticSafetyRequired(task == TaskType.THERAPEUTIC_RESPONSE)
        .build();
  }

  /**
   * The base requirements with every hint applied.
   *
   * @throws OpenAiError 400 naming the field when a value is not of its kind
   */
  public ModelRequirements over(ModelRequirements base) {
    ModelRequirements.Builder b = base.toBuilder();
    apply("task_type", v -> TaskType.fromWireName(v), (x, v) -> x.taskType(v), b);
    apply("max_cost_per_token", Double::parseDouble, ModelRequirements.Builder::maxCostPerToken, b);
    apply("max_latency_ms", Long::parseLong, ModelRequirements.Builder::maxLatencyMs, b);
    apply("min_quality_score", Double::parseDouble, ModelRequirements.Builder::minQualityScore, b);
    apply(
        "required_capabilities",
        v -> {
          List<String> caps = new ArrayList<>();
          for (String c : v.split(",")) {
            if (!c.isBlank()) {
              caps.add(c.trim());
            }
          }
          return caps;
        },
        (x, v) -> x.requiredCapabilities(v),
        b);
    apply(
        "context_length_needed",
        Integer::parseInt,
        ModelRequirements.Builder::contextLengthNeeded,
        b);
    apply(
        "therapeutic_safety_required",
        RequirementHints::bool,
        ModelRequirements.Builder::therapeuticSafetyRequired,
        b);
    apply("prefer_free", RequirementHints::bool, ModelRequirements.Builder::preferFree, b);
    apply("prefer_local", RequirementHints::bool, ModelRequirements.Builder::preferLocal, b);
    if (!values.containsKey("therapeutic_safety_required")
        && "therapeutic_response"
            .equals(values.getOrDefault("task_type", "").trim().toLowerCase(Locale.ROOT))) {
      b.therapeuticSafetyRequired(true);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      String field = paramOf(message);
      String source = field == null ? null : sources.get(field);
      if (source == null) {
        throw OpenAiError.invalid(field, message);
      }
      throw OpenAiError.invalid(source, source + message.substring(field.length()));
    }
  }

  private <T> void apply(
      String name,
      Function<String, T> parse,
      BiConsumer<ModelRequirements.Builder, T> set,
      ModelRequirements.Builder b) {
    Optional<String> value = Optional.ofNullable(values.get(name));
    if (value.isEmpty()) {
      return;
    }
    String source = sources.get(name);
    T parsed;
    try {
      parsed = parse.apply(value.get().trim());
    } catch (IllegalArgumentException e) {
      String why =
          e instanceof NumberFormatException ? "must be a number" : String.valueOf(e.getMessage());
      throw OpenAiError.invalid(source, source + ": " + why + " (was '" + value.get() + "')");
    }
    try {
      set.accept(b, parsed);
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid(source, source + ": " + e.getMessage());
    }
  }

  private static boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static String paramOf(String message) {
    String text = String.valueOf(message);
    int colon = text.indexOf(": ");
    return colon > 0 ? text.substring(0, colon) : null;
  }
}
