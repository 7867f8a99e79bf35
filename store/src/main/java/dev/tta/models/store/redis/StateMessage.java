package dev.tta.models.store.redis;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.state.StateChange;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What replicas send each other on the channel: the sender's id and clock, then what happened.
 * Every field is URL-encoded and the fields are separated by spaces, so that any model id or reason
 * travels unchanged.
 *
 * @param sender the sending replica's id, so that it ignores its own messages
 * @param sentAt the sender's clock when it sent, to measure how late messages arrive
 * @param body what happened
 */
record StateMessage(String sender, Instant sentAt, Body body) {

  /** What a message says. */
  sealed interface Body {}

  /** A change to apply. */
  record Change(StateChange change) implements Body {}

  /** A spend counter's total in Redis after the sender added to it. */
  record Spend(String counter, double total, Instant expiresAt) implements Body {}

  /** A replica (re)joined and asks the others for what they know. */
  record SyncRequest() implements Body {}

  String encode() {
    List<String> fields = new ArrayList<>();
    fields.add(sender);
    fields.add(Long.toString(sentAt.toEpochMilli()));
    switch (body) {
      case Change(StateChange.CircuitOpened c) ->
          add(fields, "circuit", c.model().toString(), millis(c.probeAfter()));
      case Change(StateChange.FailureRecorded f) ->
          add(fields, "failure", f.model().toString(), f.error().wireName(), millis(f.at()));
      case Change(StateChange.SuccessRecorded s) ->
          add(fields, "success", s.model().toString(), millis(s.at()));
      case Change(StateChange.ProviderOut o) ->
          add(fields, "out", o.provider().value(), o.reason(), millis(o.at()));
      case Change(StateChange.ModelReset r) -> add(fields, "reset-model", r.model().toString());
      case Change(StateChange.ProviderReset r) ->
          add(fields, "reset-provider", r.provider().value());
      case Spend s ->
          add(fields, "spend", s.counter(), Double.toString(s.total()), millis(s.expiresAt()));
      case SyncRequest r -> add(fields, "sync");
    }
    return String.join(
        " ", fields.stream().map(f -> URLEncoder.encode(f, StandardCharsets.UTF_8)).toList());
  }

  private static void add(List<String> fields, String... values) {
    fields.addAll(List.of(values));
  }

  private static String millis(Instant at) {
    return Long.toString(at.toEpochMilli());
  }

  /**
   * @throws IllegalArgumentException when the text is not a message this version understands
   */
  static StateMessage decode(String text) {
    String[] raw = text.split(" ", -1);
    String[] f = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      f[i] = URLDecoder.decode(raw[i], StandardCharsets.UTF_8);
    }
    if (f.length < 3) {
      throw new IllegalArgumentException("a state message has at least 3 fields, had " + f.length);
    }
    String type = f[2];
    Body body =
        switch (type) {
          case "circuit" -> {
            expect(f, 5, type);
            yield new Change(new StateChange.CircuitOpened(ModelKey.parse(f[3]), instant(f[4])));
          }
          case "failure" -> {
            expect(f, 6, type);
            yield new Change(
                new StateChange.FailureRecorded(
                    ModelKey.parse(f[3]),
                    ErrorClass.valueOf(f[4].toUpperCase(Locale.ROOT)),
                    instant(f[5])));
          }
          case "success" -> {
            expect(f, 5, type);
            yield new Change(new StateChange.SuccessRecorded(ModelKey.parse(f[3]), instant(f[4])));
          }
          case "out" -> {
            expect(f, 6, type);
            yield new Change(new StateChange.ProviderOut(ProviderId.of(f[3]), f[4], instant(f[5])));
          }
          case "reset-model" -> {
            expect(f, 4, type);
            yield new Change(new StateChange.ModelReset(ModelKey.parse(f[3])));
          }
          case "reset-provider" -> {
            expect(f, 4, type);
            yield new Change(new StateChange.ProviderReset(ProviderId.of(f[3])));
          }
          case "spend" -> {
            expect(f, 6, type);
            yield new Spend(f[3], Double.parseDouble(f[4]), instant(f[5]));
          }
          case "sync" -> {
            expect(f, 3, type);
            yield new SyncRequest();
          }
          default ->
              throw new IllegalArgumentException("unknown state message type '" + type + "'");
        };
    return new StateMessage(f[0], instant(f[1]), body);
  }

  private static void expect(String[] fields, int count, String type) {
    if (fields.length != count) {
      throw new IllegalArgumentException(
          "a '" + type + "' message has " + count + " fields, had " + fields.length);
    }
  }

  private static Instant instant(String millis) {
    return Instant.ofEpochMilli(Long.parseLong(millis));
  }
}
