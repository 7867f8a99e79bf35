package dev.tta.models.server.config;

import static dev.tta.models.server.config.ConfigText.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.history.Budget;
import dev.tta.models.history.BudgetPeriod;
import dev.tta.models.store.HistoryLocation;
import dev.tta.models.store.StateLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code storage} section, and client keys with names and budgets. */
class StorageConfigTest {

  private static final Path FOLDER = Path.of("/etc/mm");

  // sha256 of the keys, worked out with sha256sum
  private static final String TEAM_A_HASH =
      "sha256:bef774b54238627ae29de718afc528a7532a0168cff03c400ad49da7acdcd3a5";
  private static final String PLAIN_HASH =
      "sha256:538e04ca873d048e6b10c51efbc9a2924f9c23f69debf0790f45985a11071940";

  private static GatewayConfig parse(String yaml, Map<String, String> env) {
    return new ConfigReader(env).parse(yaml, "s.yaml", FOLDER);
  }

  @Test
  void noStorageSection_isSqliteInTheDataDirectory_memory_and30Days() {
    StorageSettings storage = parse("data_dir: ./data\n", Map.of()).storage();

    assertThat(storage.history())
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/etc/mm/data/mm.db")));
    assertThat(storage.state()).isEqualTo(new StateLocation.Memory());
    assertThat(storage.retention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void sqliteAndPaths_areFilesRelativeToTheConfigurationsFolder() {
    assertThat(
            parse("data_dir: /var/lib/mm\nstorage: {history: sqlite}\n", Map.of())
                .storage()
                .history())
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/var/lib/mm/mm.db")));
    assertThat(parse("storage: {history: ./h/../calls.db}\n", Map.of()).storage().history())
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/etc/mm/calls.db")));
    assertThat(parse("storage: {history: /srv/mm.db}\n", Map.of()).storage().history())
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/srv/mm.db")));
  }

  @Test
  void postgresAndRedis_withPasswordsFromTheEnvironment_neverShowThem() {
    GatewayConfig config =
        parse(
            """
            storage:
              history: postgresql://mm:${PGPASSWORD}@db.internal/mm?sslmode=require
              state: redis://:${REDIS_PW}@redis.internal:6380/2
              retention: 7d
            """,
            Map.of("PGPASSWORD", "pg-s3cret-pw", "REDIS_PW", "redis-s3cret-pw"));

    HistoryLocation.Postgres pg = (HistoryLocation.Postgres) config.storage().history();
    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/mm?sslmode=require");
    assertThat(pg.user()).contains("mm");
    assertThat(pg.password()).contains("pg-s3cret-pw");
    assertThat(pg).hasToString("postgresql://mm@db.internal:5432/mm?sslmode=require");
    StateLocation.Redis redis = (StateLocation.Redis) config.storage().state();
    assertThat(redis.database()).isEqualTo(2);
    assertThat(redis).hasToString("redis://:***@redis.internal:6380/2");
    assertThat(config.storage().retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void badStorageValues_areProblemsNamingTheKey_withoutThePassword() {
    assertThat(
            problems(
                """
                storage:
                  history: mysql://root:pw-s3cret@db/mm
                  state: memcached://cache:11211
                  retention: 0s
                  cache: true
                """))
        .containsExactlyInAnyOrder(
            "storage.history: must be sqlite, a file path, or a postgresql:// URL; the scheme"
                + " 'mysql' is not supported",
            "storage.state: must be memory, or a redis:// or rediss:// URL",
            "storage.retention: must be a positive duration such as 500ms, 30s, 5m or 1h, was '0s'",
            "storage.cache: unknown key; expected one of history, retention, state");
    assertThat(problems("storage: {history: \"postgresql://mm:pw-s3cret@/mm\"}\n"))
        .containsExactly(
            "storage.history: a postgresql:// URL needs a host, as in"
                + " postgresql://user@host:5432/database");
    assertThat(problems("storage: {history: \"postgresql://mm:pw-s3cret@db:5432\"}\n"))
        .containsExactly(
            "storage.history: a postgresql:// URL needs one database name after the host, as in"
                + " postgresql://user@host:5432/database");
    assertThat(problems("storage: {state: \"redis://:pw-s3cret@cache:6379/zero\"}\n"))
        .containsExactly(
            "storage.state: the path of a redis:// URL is the database number, as in"
                + " redis://host:6379/0");
    assertThat(problems("storage: [sqlite]\n"))
        .containsExactly("storage: must be a mapping of keys to values");
  }

  @Test
  void clientKeys_mayBeNamedWithABudget_besideThePlainForm() {
    GatewayConfig config =
        parse(
            """
            auth:
              client_keys:
                - {key: "${TEAM_A_KEY}", name: team-a, budget: {usd: 25, per: month}}
                - {key: "team-b-key-0001", name: team-b}
                - "${PLAIN_KEY}"
            """,
            Map.of("TEAM_A_KEY", "team-a-key-0001", "PLAIN_KEY", "plain-key-00001"));

    AuthSettings auth = config.auth();
    assertThat(auth.clientKeyHashes()).hasSize(3).contains(TEAM_A_HASH, PLAIN_HASH);
    assertThat(auth.names())
        .containsEntry(TEAM_A_HASH, "team-a")
        .doesNotContainKey(PLAIN_HASH)
        .containsValue("team-b");
    assertThat(auth.budgets())
        .containsExactly(Map.entry("team-a", new Budget(25, BudgetPeriod.MONTH)));
    assertThat(config.toString()).doesNotContain("team-a-key-0001");
  }

  @Test
  void aBudgetPeriod_isReadInAnyCase() {
    assertThat(
            parse(
                    """
                    auth:
                      client_keys: [{key: "team-a-key-0001", name: team-a, budget: {usd: 0.5, per: Week}}]
                    """,
                    Map.of())
                .auth()
                .budgets())
        .containsEntry("team-a", new Budget(0.5, BudgetPeriod.WEEK));
  }

  @Test
  void badNamedKeys_areProblemsNamingTheField_andTheRule() {
    assertThat(
            problems(
                """
                auth:
                  client_keys:
                    - {key: "team-a-key-0001", name: team-a, budget: {usd: 25, per: weekly}}
                    - {key: "team-b-key-0001", name: team-a, budget: {usd: 0}}
                    - {key: "team-c-key-0001", name: Team C, budget: {per: day}}
                    - {key: "team-d-key-0001", limit: 5}
                    - {key: "team-e-key-0001", name: admin}
                    - {name: team-f, budget: {usd: ten, per: month}}
                """))
        .containsExactlyInAnyOrder(
            "auth.client_keys[0].budget.per: must be one of day, week, month, total, was 'weekly'",
            "auth.client_keys[1].name: 'team-a' names an earlier key; names must be unique",
            "auth.client_keys[1].budget.usd: must be more than 0, was 0.0",
            "auth.client_keys[1].budget.per: is required",
            "auth.client_keys[2].name: must be 1-64 lower-case letters, digits, '_', '.' or '-',"
                + " starting with a letter or digit, was 'Team C'",
            "auth.client_keys[2].budget.usd: is required",
            "auth.client_keys[3].limit: unknown key; expected one of budget, key, name",
            "auth.client_keys[3].name: is required",
            "auth.client_keys[4].name: 'admin' is the admin key's name; give this key another",
            "auth.client_keys[5].key: is required",
            "auth.client_keys[5].budget.usd: must be a number, was 'ten'");
  }

  @Test
  void aNamedKeyWithoutABudget_hasNone() {
    AuthSettings auth =
        parse("auth: {client_keys: [{key: \"team-b-key-0001\", name: team-b}]}\n", Map.of()).auth();

    assertThat(auth.budgets()).isEmpty();
    assertThat(auth.adminKeyHash()).isEqualTo(Optional.empty());
  }
}
