package dev.tta.models.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryLocationTest {

  private static final Path DATA = Path.of("/var/lib/mm");
  private static final Path FOLDER = Path.of("/etc/mm");

  private static HistoryLocation parse(String value) {
    return HistoryLocation.parse(value, DATA, FOLDER);
  }

  private static HistoryLocation.Postgres postgres(String value) {
    return (HistoryLocation.Postgres) parse(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "sqlite", "SQLite", " sqlite "})
  void nothingOrSqlite_isMmDbInTheDataDirectory(String value) {
    assertThat(parse(value)).isEqualTo(new HistoryLocation.Sqlite(Path.of("/var/lib/mm/mm.db")));
  }

  @Test
  void aPath_isASqliteFile_relativeToTheConfigurationsFolder() {
    assertThat(parse("history/calls.db"))
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/etc/mm/history/calls.db")));
    assertThat(parse("../shared/./calls.db"))
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/etc/shared/calls.db")));
    assertThat(parse("/srv/mm.db")).isEqualTo(new HistoryLocation.Sqlite(Path.of("/srv/mm.db")));
    assertThat(parse("/srv/mm.db")).hasToString("sqlite /srv/mm.db");
  }

  @Test
  void aPostgresqlUrl_becomesAJdbcUrlWithoutCredentials_andShowsNoPassword() {
    HistoryLocation.Postgres pg =
        postgres("postgresql://mm:pw-s3cret@db.internal:5433/history?sslmode=require");

    assertThat(pg.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:5433/history?sslmode=require");
    assertThat(pg.user()).contains("mm");
    assertThat(pg.password()).contains("pw-s3cret");
    assertThat(pg).hasToString("postgresql://mm@db.internal:5433/history?sslmode=require");
  }

  @Test
  void thePortDefaultsTo5432_andPostgresIsTheSameScheme_inAnyCase() {
    HistoryLocation.Postgres pg = postgres("POSTGRES://db/mm");

    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/mm");
    assertThat(pg.user()).isEmpty();
    assertThat(pg.password()).isEmpty();
    assertThat(pg).hasToString("postgresql://db:5432/mm");
  }

  @Test
  void aUserWithoutPassword_leavesThePasswordToPgpassword() {
    HistoryLocation.Postgres pg = postgres("postgresql://reporter@db/mm");

    assertThat(pg.user()).contains("reporter");
    assertThat(pg.password()).isEmpty();
    assertThat(pg).hasToString("postgresql://reporter@db:5432/mm");
  }

  @Test
  void anEmptyUser_isNoUser() {
    HistoryLocation.Postgres onlyPassword = postgres("postgresql://:pw-s3cret@db/mm");
    HistoryLocation.Postgres nothing = postgres("postgresql://@db/mm");

    assertThat(onlyPassword.user()).isEmpty();
    assertThat(onlyPassword.password()).contains("pw-s3cret");
    assertThat(onlyPassword).hasToString("postgresql://db:5432/mm");
    assertThat(nothing.user()).isEmpty();
    assertThat(nothing.password()).isEmpty();
    assertThat(nothing).hasToString("postgresql://db:5432/mm");
  }

  @Test
  void anEncodedPassword_isDecoded_andAPlusStaysAPlus() {
    // %40 is '@' and %3A is ':', which would otherwise end the user or the password
    HistoryLocation.Postgres pg = postgres("postgresql://m%3Am:p%40ss+w%3Ard@db/mm");

    assertThat(pg.user()).contains("m:m");
    assertThat(pg.password()).contains("p@ss+w:rd");
    assertThat(pg).hasToString("postgresql://m:m@db:5432/mm");
  }

  @Test
  void anIpv6Host_keepsItsBrackets() {
    HistoryLocation.Postgres pg = postgres("postgresql://mm@[::1]:5433/mm");

    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/mm");
    assertThat(pg).hasToString("postgresql://mm@[::1]:5433/mm");
  }

  @Test
  void anotherScheme_isRefused_namingIt() {
    assertThatThrownBy(() -> parse("mysql://root:pw-s3cret@db/mm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "must be sqlite, a file path, or a postgresql:// URL; the scheme 'mysql' is not"
                + " supported");
  }

  @Test
  void aPostgresqlUrlWithoutHostOrDatabase_isRefused_withAnExample() {
    assertThatThrownBy(() -> parse("postgresql://mm:pw-s3cret@/mm"))
        .hasMessage("a postgresql:// URL needs a host, as in postgresql://user@host:5432/database");
    assertThatThrownBy(() -> parse("postgresql://mm:pw-s3cret@db:5432"))
        .hasMessage(
            "a postgresql:// URL needs one database name after the host, as in"
                + " postgresql://user@host:5432/database");
    assertThatThrownBy(() -> parse("postgresql://db/"))
        .hasMessageStartingWith("a postgresql:// URL needs one database name");
    assertThatThrownBy(() -> parse("postgresql://db/mm/extra"))
        .hasMessageStartingWith("a postgresql:// URL needs one database name");
  }

  @Test
  void aPortOutsideTheRange_isRefused() {
    assertThatThrownBy(() -> parse("postgresql://db:65536/mm"))
        .hasMessage("the port must be between 1 and 65535, was 65536");
    assertThatThrownBy(() -> parse("postgresql://db:0/mm"))
        .hasMessage("the port must be between 1 and 65535, was 0");
    assertThat(postgres("postgresql://db:65535/mm").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:65535/mm");
    assertThat(postgres("postgresql://db:1/mm").jdbcUrl()).isEqualTo("jdbc:postgresql://db:1/mm");
  }

  @Test
  void aMalformedPostgresqlUrl_isRefused_withoutRepeatingIt() {
    assertThatThrownBy(() -> parse("postgresql://mm:pw s3cret@db/mm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("is not a valid postgresql:// URL (Illegal character in ")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void aPathThatCannotBe_isRefused() {
    assertThatThrownBy(() -> parse("calls\0.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("is not a valid file path: ");
  }

  @Test
  void aWindowsLikePathWithAColon_isAFileNotAScheme() {
    assertThat(parse("c:calls.db"))
        .isEqualTo(new HistoryLocation.Sqlite(Path.of("/etc/mm/c:calls.db")));
  }
}
