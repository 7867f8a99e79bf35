package dev.tta.models.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Whole answers written straight to the response's stream. Javalin's {@code result(...)} keeps the
 * body as a stream and copies it to the response through a buffer of its own after the handler
 * returns: a third of everything the gateway allocated per request under load (see
 * docs/PERFORMANCE.md). Written here, the body goes into Jetty's response buffer once; Javalin's
 * compression still applies, since its stream is the one written to, and Jetty sets the length of a
 * body that fits its buffer.
 */
public final class Answers {

  public static final String JSON = "application/json";

  private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

  private Answers() {}

  /** {@code body} as JSON with the given status. */
  public static void json(Context ctx, int status, ObjectMapper mapper, Object body) {
    write(ctx.status(status).contentType(JSON), mapper.writeValueAsBytes(body));
  }

  /**
   * The bytes as the whole body, with the status and type already set. A client that left before
   * they went out is no failure of the gateway's: noted, not thrown.
   */
  public static void write(Context ctx, byte[] body) {
    try {
      ctx.outputStream().write(body);
    } catch (IOException e) {
      LOG.debug(
          "{} {}: the client left before its answer: {}", ctx.method(), ctx.path(), e.getMessage());
    }
  }
}
