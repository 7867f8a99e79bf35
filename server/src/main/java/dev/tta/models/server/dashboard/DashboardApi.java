package dev.tta.models.server.dashboard;

import dev.tta.models.server.http.Answers;
import dev.tta.models.server.runtime.GatewayRuntime;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard: one page and its two files, served from the jar with no key (they hold no data),
 * and its data at {@value #DATA_PATH}, which needs a client key like the management API's reads.
 * The page asks for a key when the data is refused, keeps it in memory only, and sends it with
 * every call; resets, loads and unloads go to the management API, which wants the admin key.
 */
public final class DashboardApi {

  public static final String PAGE_PATH = "/dashboard";
  public static final String DATA_PATH = "/api/v1/dashboard";

  /** The page's files in the jar, by the path they are served at. */
  private static final Map<String, String[]> FILES =
      Map.of(
          PAGE_PATH,
          new String[] {"index.html", "text/html; charset=utf-8"},
          PAGE_PATH + "/dashboard.js",
          new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
          PAGE_PATH + "/dashboard.css",
          new String[] {"dashboard.css", "text/css; charset=utf-8"});

  private final DashboardData data;
  private final ObjectMapper mapper;
  private final Map<String, byte[]> contents;

  public DashboardApi(GatewayRuntime runtime, ObjectMapper mapper) {
    this.data = new DashboardData(runtime);
    this.mapper = mapper;
    this.contents =
        FILES.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> resource(e.getValue()[0])));
  }

  public void register(JavalinDefaultRoutingApi routes) {
    for (Map.Entry<String, String[]> file : FILES.entrySet()) {
      byte[] body = contents.get(file.getKey());
      String type = file.getValue()[1];
      routes.get(
          file.getKey(),
          ctx ->
              ctx.contentType(type)
                  .header("Cache-Control", "no-cache")
                  .header("X-Content-Type-Options", "nosniff")
                  .header(
                      "Content-Security-Policy",
                      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
                  .result(body));
    }
    routes.get(DATA_PATH, this::snapshot);
  }

  private void snapshot(Context ctx) {
    Answers.write(
        ctx.contentType(Answers.JSON).header("Cache-Control", "no-store"),
        mapper.writeValueAsBytes(data.snapshot()));
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardApi.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks /dashboard/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
