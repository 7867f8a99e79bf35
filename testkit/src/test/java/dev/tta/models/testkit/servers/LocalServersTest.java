package dev.tta.models.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The real servers the storage tests start: each answers on its own loopback port, and is gone once
 * closed. They skip where the Debian packages are missing (and fail under CI).
 */
class LocalServersTest {

  @Test
  void redis_answersAPing_isGoneWhenKilled_andBackEmptyAfterARestart() throws IOException {
    try (RedisServer redis = RedisServer.start()) {
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port() + "/0");
      assertThat(command(redis.port(), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"))
          .isEqualTo("+OK");
      assertThat(command(redis.port(), "*1\r\n$4\r\nPING\r\n")).isEqualTo("+PONG");

      redis.kill();
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), redis.port()).close())
          .isInstanceOf(ConnectException.class);

      redis.restart();
      assertThat(command(redis.port(), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).isEqualTo("$-1");
    }
  }

  @Test
  void postgres_acceptsConnections_namesEachNewDatabase_andStopsWhenClosed() throws IOException {
    int port;
    try (PostgresServer postgres = PostgresServer.start()) {
      port = postgres.port();
      new Socket(InetAddress.getLoopbackAddress(), port).close();
      String first = postgres.newDatabase();
      String second = postgres.newDatabase();
      assertThat(first)
          .startsWith("postgresql://mm:s3cret-pw@127.0.0.1:" + port + "/mm_test_")
          .isNotEqualTo(second);
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aFreePort_canBeListenedOn() throws IOException {
    int port = LocalServers.freePort();
    assertThat(port).isBetween(1, 65_535);
    new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
  }

  @Test
  void waitingForAPort_endsWithTheProcessThatDied() throws Exception {
    Process exited = new ProcessBuilder("/bin/sh", "-c", "exit 3").start();
    exited.waitFor();

    assertThatThrownBy(
            () ->
                LocalServers.awaitPort(
                    LocalServers.freePort(), exited, Duration.ofSeconds(5), "the server"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the server exited with 3");
  }

  /** Sends one command in Redis's protocol and reads the first line of the reply. */
  private static String command(int port, String command) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
