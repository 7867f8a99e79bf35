package dev.tta.models.server.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/spend} over a gateway with a SQLite history. Every answer of the upstream is
 * "hello there" to the prompt "Hi": 1 prompt token at 0.01 USD and 2 completion tokens at 0.02 USD,
 * 0.01 + 0.04 = 0.05 USD a call.
 */
class SpendApiTest {

  private static final String TEAM_A = "team-a-key-0001";
  private static final String TEAM_B = "team-b-key-0001";
  private static final String PLAIN = "plain-key-00001";
  private static final String ADMIN = "admin-key-00001";

  /** The name of the plain key: key- and the first 8 hex digits of sha256("plain-key-00001"). */
  private static final String PLAIN_NAME = "key-538e04ca";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path folder;

  private final HttpClient http = HttpClient.newHttpClient();
  private FaultyUpstream upstream;
  private GatewayServer server;

  @BeforeEach
  void start() {
    upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("hello there"));
    server = GatewayServer.start(GatewayRuntime.startPersistent(config(true)));
  }

  private dev.tta.models.server.config.GatewayConfig config(boolean withKeys) {
    String yaml =
        """
        server: {port: 0}
        providers:
          - name: up
            type: custom_api
            base_url: "%s"
            discover_models: false
            models: [{id: m, input_cost_per_token: 0.01, output_cost_per_token: 0.02}]
        storage: {history: "%s"}
        """
            .formatted(
                upstream.baseUrl().toString().replaceAll("/+$", ""), folder.resolve("mm.db"));
    if (withKeys) {
      yaml +=
          """
          auth:
            client_keys:
              - {key: "%s", name: team-a, budget: {usd: 0.12, per: total}}
              - {key: "%s", name: team-b}
              - "%s"
            admin_key: "%s"
          """
              .formatted(TEAM_A, TEAM_B, PLAIN, ADMIN);
    }
    return new ConfigReader(Map.of()).parse(yaml, "spend.yaml", folder);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  private HttpResponse<String> chat(String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"up/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> spend(String query, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/spend" + query));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private void spendSome() throws Exception {
    assertThat(chat(TEAM_A).statusCode()).isEqualTo(200);
    assertThat(chat(TEAM_A).statusCode()).isEqualTo(200);
    assertThat(chat(TEAM_B).statusCode()).isEqualTo(200);
  }

  @Test
  void theAdminKey_seesEveryKeyThatSpentOrHasABudget_withTheBudgets() throws Exception {
    spendSome();

    HttpResponse<String> response = spend("?window=total", ADMIN);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.path("window").asString()).isEqualTo("total");
    assertThat(body.path("from").asString()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(body.path("to").isNull()).isTrue();
    JsonNode keys = body.path("keys");
    assertThat(keys.size()).isEqualTo(2);
    // team-a: 2 calls = 0.10 of its 0.12, 0.02 left, a total budget that never renews
    assertThat(keys.get(0).path("key").asString()).isEqualTo("team-a");
    assertThat(keys.get(0).path("spent_usd").asDouble()).isCloseTo(0.10, within(1e-9));
    JsonNode budget = keys.get(0).path("budget");
    assertThat(budget.path("usd").asDouble()).isEqualTo(0.12);
    assertThat(budget.path("per").asString()).isEqualTo("total");
    assertThat(budget.path("spent_usd").asDouble()).isCloseTo(0.10, within(1e-9));
    assertThat(budget.path("remaining_usd").asDouble()).isCloseTo(0.02, within(1e-9));
    assertThat(budget.path("renews_at").isNull()).isTrue();
    // team-b: 1 call, no budget
    assertThat(keys.get(1).path("key").asString()).isEqualTo("team-b");
    assertThat(keys.get(1).path("spent_usd").asDouble()).isCloseTo(0.05, within(1e-9));
    assertThat(keys.get(1).path("budget").isNull()).isTrue();

    JsonNode one = json(spend("?window=total&key=team-b", ADMIN));
    assertThat(one.path("keys").size()).isEqualTo(1);
    assertThat(one.path("keys").get(0).path("key").asString()).isEqualTo("team-b");
  }

  @Test
  void aClientKey_seesItsOwnSpendOnly_andIsRefusedAnotherKeys() throws Exception {
    spendSome();

    // no window: team-a's budget period, total
    JsonNode own = json(spend("", TEAM_A));
    assertThat(own.path("window").asString()).isEqualTo("total");
    assertThat(own.path("keys").size()).isEqualTo(1);
    assertThat(own.path("keys").get(0).path("key").asString()).isEqualTo("team-a");
    assertThat(own.path("keys").get(0).path("spent_usd").asDouble()).isCloseTo(0.10, within(1e-9));
    assertThat(json(spend("?key=team-a&window=total", TEAM_A)).path("keys").size()).isEqualTo(1);

    HttpResponse<String> other = spend("?key=team-b", TEAM_A);
    assertThat(other.statusCode()).isEqualTo(403);
    JsonNode error = json(other).path("error");
    assertThat(error.path("code").asString()).isEqualTo("insufficient_permissions");
    assertThat(error.path("param").asString()).isEqualTo("key");
    assertThat(error.path("message").asString())
        .isEqualTo("key: a client key reads only its own spend; the admin key reads every key's");
  }

  @Test
  void aPlainKey_isNamedByItsHash_andSpendsUnderThatName() throws Exception {
    assertThat(chat(PLAIN).statusCode()).isEqualTo(200);

    JsonNode own = json(spend("?window=total", PLAIN));

    assertThat(own.path("keys").get(0).path("key").asString()).isEqualTo(PLAIN_NAME);
    assertThat(own.path("keys").get(0).path("spent_usd").asDouble()).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void aWindowThatIsNoPeriod_isA400NamingTheField() throws Exception {
    HttpResponse<String> response = spend("?window=fortnight", ADMIN);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = json(response).path("error");
    assertThat(error.path("param").asString()).isEqualTo("window");
    assertThat(error.path("message").asString())
        .isEqualTo("window: must be one of day, week, month, total, was 'fortnight'");
  }

  @Test
  void theCalendarWindows_runFromTheirUtcStartToTheNext() throws Exception {
    Instant before = Instant.now();
    JsonNode day = json(spend("?window=day", ADMIN));
    JsonNode week = json(spend("?window=week", ADMIN));
    JsonNode month = json(spend("?window=month", ADMIN));
    JsonNode byDefault = json(spend("", ADMIN));
    Instant after = Instant.now();

    ZonedDateTime dayFrom = ZonedDateTime.parse(day.path("from").asString());
    assertThat(dayFrom.toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
    assertThat(dayFrom.getOffset()).isEqualTo(ZoneOffset.UTC);
    assertThat(Instant.parse(day.path("to").asString()))
        .isEqualTo(dayFrom.toInstant().plus(Duration.ofDays(1)));
    assertThat(dayFrom.toInstant()).isBetween(before.minus(Duration.ofDays(1)), after);
    ZonedDateTime weekFrom = ZonedDateTime.parse(week.path("from").asString());
    assertThat(weekFrom.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    assertThat(weekFrom.toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
    assertThat(Instant.parse(week.path("to").asString()))
        .isEqualTo(weekFrom.toInstant().plus(Duration.ofDays(7)));
    ZonedDateTime monthFrom = ZonedDateTime.parse(month.path("from").asString());
    assertThat(monthFrom.getDayOfMonth()).isEqualTo(1);
    assertThat(ZonedDateTime.parse(month.path("to").asString())).isEqualTo(monthFrom.plusMonths(1));
    // the admin asking for no key in particular: the month
    assertThat(byDefault.path("window").asString()).isEqualTo("month");
  }

  @Test
  void withoutAKey_theSpendIsNotShown() throws Exception {
    HttpResponse<String> response = spend("", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).path("error").path("code").asString()).isEqualTo("missing_api_key");
  }

  @Test
  void aSpentTotalBudget_isRefusedBeforeTheCall_sayingItDoesNotRenew() throws Exception {
    spendSome();
    assertThat(chat(TEAM_A).statusCode()).isEqualTo(200); // 0.10 < 0.12: allowed, now 0.15
    int callsBefore = upstream.chatRequests().size();

    HttpResponse<String> refused = chat(TEAM_A);

    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode error = json(refused).path("error");
    assertThat(error.path("code").asString()).isEqualTo("budget_exceeded");
    assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asString())
        .isEqualTo(
            "the budget of key 'team-a' (0.12 USD in total) is spent: 0.1500 USD;"
                + " it is a total budget and does not renew");
    assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
    assertThat(upstream.chatRequests()).hasSize(callsBefore);
    // another key goes on
    assertThat(chat(TEAM_B).statusCode()).isEqualTo(200);
  }

  @Test
  void aGatewayWithoutHistory_answers409() throws Exception {
    server.close();
    server = GatewayServer.start(GatewayRuntime.start(config(false)));

    HttpResponse<String> response = spend("", null);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(json(response).path("error").path("code").asString()).isEqualTo("no_history");
  }
}
