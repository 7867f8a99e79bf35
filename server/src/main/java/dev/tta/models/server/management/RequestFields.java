package dev.tta.models.server.management;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The fields of one request, from a JSON object body or from query parameters, read with their
 * types checked: a field of the wrong type or an unknown field is a 400 naming it.
 */
final class RequestFields {

  private final JsonNode body;
  private final Function<String, String> query;

  private RequestFields(JsonNode body, Function<String, String> query) {
    this.body = body;
    this.query = query;
  }

  static RequestFields ofBody(ObjectMapper mapper, String text, Set<String> allowed) {
    JsonNode node;
    try {
      node = mapper.readTree(text == null || text.isBlank() ? "{}" : text);
    } catch (JacksonException e) {
      throw new ApiError(
          400,
          "invalid_request_error",
          null,
          "invalid_json",
          "the request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new ApiError(
          400,
          "invalid_request_error",
          null,
          "invalid_json",
          "the request body must be a JSON object");
    }
    Set<String> unknown = new TreeSet<>(node.propertyNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw ApiError.badRequest(
          first, first + ": is not a field of this request; allowed: " + new TreeSet<>(allowed));
    }
    return new RequestFields(node, name -> null);
  }

  static RequestFields ofQuery(Function<String, String> query) {
    return new RequestFields(null, query);
  }

  private Optional<JsonNode> node(String name) {
    if (body == null) {
      return Optional.empty();
    }
    JsonNode value = body.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private Optional<String> queryText(String name) {
    String value = body == null ? query.apply(name) : null;
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  Optional<String> text(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent()) {
      if (!value.get().isString()) {
        throw ApiError.badRequest(name, name + ": must be a string");
      }
      return Optional.of(value.get().stringValue());
    }
    return queryText(name);
  }

  String requiredText(String name) {
    return text(name)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> ApiError.badRequest(name, name + ": is required"));
  }

  Optional<Boolean> bool(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent()) {
      if (!value.get().isBoolean()) {
        throw ApiError.badRequest(name, name + ": must be true or false");
      }
      return Optional.of(value.get().booleanValue());
    }
    return queryText(name)
        .map(
            s ->
                switch (s) {
                  case "true" -> true;
                  case "false" -> false;
                  default ->
                      throw ApiError.badRequest(
                          name, name + ": must be true or false, was '" + s + "'");
                });
  }

  OptionalDouble number(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent()) {
      if (!value.get().isNumber()) {
        throw ApiError.badRequest(name, name + ": must be a number");
      }
      return OptionalDouble.of(value.get().doubleValue());
    }
    Optional<String> text = queryText(name);
    if (text.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double parsed = Double.parseDouble(text.get());
      if (!Double.isFinite(parsed)) {
        throw new NumberFormatException();
      }
      return OptionalDouble.of(parsed);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name, name + ": must be a number, was '" + text.get() + "'");
    }
  }

  OptionalInt integer(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isPresent()) {
      if (!value.get().isIntegralNumber() || !value.get().canConvertToInt()) {
        throw ApiError.badRequest(name, name + ": must be a whole number");
      }
      return OptionalInt.of(value.get().intValue());
    }
    Optional<String> text = queryText(name);
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text.get()));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name, name + ": must be a whole number, was '" + text.get() + "'");
    }
  }

  List<String> strings(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isEmpty()) {
      return queryText(name).map(s -> List.of(s.split(","))).orElse(List.of());
    }
    if (!value.get().isArray()) {
      throw ApiError.badRequest(name, name + ": must be an array of strings");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value.get().values()) {
      if (!item.isString()) {
        throw ApiError.badRequest(name, name + ": must be an array of strings");
      }
      items.add(item.stringValue());
    }
    return items;
  }

  List<JsonNode> objects(String name) {
    Optional<JsonNode> value = node(name);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!value.get().isArray()) {
      throw ApiError.badRequest(name, name + ": must be an array of objects");
    }
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode item : value.get().values()) {
      if (!item.isObject()) {
        throw ApiError.badRequest(name, name + ": must be an array of objects");
      }
      items.add(item);
    }
    return items;
  }

  ProviderId provider(String name) {
    String text = requiredText(name);
    try {
      return ProviderId.of(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(name, name + ": " + e.getMessage());
    }
  }

  ModelKey model(String name) {
    String text = requiredText(name);
    try {
      return ModelKey.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(
          name, name + ": must be written provider/model-id, was '" + text + "'");
    }
  }
}
