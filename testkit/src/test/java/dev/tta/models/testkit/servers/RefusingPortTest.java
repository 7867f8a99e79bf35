package dev.tta.models.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RefusingPortTest {

  @Test
  void whileHeld_connectionsAreRefused_andNoServerCanListenThere() {
    try (RefusingPort refusing = RefusingPort.open()) {
      int port = refusing.port();

      assertThat(refusing.uri()).hasToString("http://127.0.0.1:" + port);
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(ConnectException.class);
      // a server socket asks for SO_REUSEADDR, as most servers do; the held port still refuses it
      assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
          .isInstanceOf(BindException.class);
    }
  }
}
