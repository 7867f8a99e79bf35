package dev.tta.models.server.auth;

import dev.tta.models.server.management.AdminGuard;
import dev.tta.models.server.openai.OpenAiError;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may call what: the OpenAI API and management reads need a client key (the admin key counts as
 * one), management writes need the admin key. The key comes as {@code Authorization: Bearer <key>}
 * (what OpenAI clients send) or {@code x-api-key}. With no key configured at all, everyone is let
 * in: development mode, which the server only allows on a loopback address.
 */
public final class KeyAuthentication implements AdminGuard {

  /** The request attribute holding the caller's {@link ApiKeys.Identity}, once checked. */
  static final String IDENTITY = "mm.identity";

  private final ApiKeys keys;

  public KeyAuthentication(ApiKeys keys) {
    this.keys = keys;
  }

  public boolean developmentMode() {
    return keys.none();
  }

  /**
   * Lets a caller with any valid key through.
   *
   * @throws OpenAiError 401 when no key or an unknown key was presented
   */
  public void requireClient(Context ctx) {
    if (keys.none()) {
      return;
    }
    Optional<String> presented = presented(ctx);
    if (presented.isEmpty()) {
      throw new OpenAiError(
          401,
          "invalid_request_error",
          null,
          "missing_api_key",
          "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
    }
    Optional<ApiKeys.Identity> identity = keys.identify(presented.get());
    if (identity.isEmpty()) {
      throw new OpenAiError(
          401, "invalid_request_error", null, "invalid_api_key", "Incorrect API key provided.");
    }
    ctx.attribute(IDENTITY, identity.get());
  }

  /**
   * Who the caller is, after {@link #requireClient} let it in; empty in development mode, where no
   * key is asked for.
   */
  public static Optional<ApiKeys.Identity> identity(Context ctx) {
    return Optional.ofNullable(ctx.attribute(IDENTITY));
  }

  @Override
  public Optional<Denial> check(Context ctx) {
    if (keys.none()) {
      return Optional.empty();
    }
    Optional<String> presented = presented(ctx);
    if (presented.isEmpty()) {
      return Optional.of(new Denial(401, "You didn't provide an API key.", "missing_api_key"));
    }
    return switch (keys.holder(presented.get()).orElse(null)) {
      case ADMIN -> Optional.empty();
      case CLIENT ->
          Optional.of(
              new Denial(403, "This action needs the admin key.", "insufficient_permissions"));
      case null -> Optional.of(new Denial(401, "Incorrect API key provided.", "invalid_api_key"));
    };
  }

  private static Optional<String> presented(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      String value = authorization.trim();
      if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        return Optional.of(value.substring(7).trim()).filter(k -> !k.isEmpty());
      }
    }
    return Optional.ofNullable(ctx.header("x-api-key")).map(String::trim).filter(k -> !k.isEmpty());
  }
}
