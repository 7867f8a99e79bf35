package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerAddressTest {

  @ParameterizedTest
  @CsvSource({
    "localhost, http://localhost:11434/",
    "' 0.0.0.0 ', http://0.0.0.0:11434/",
    "gpu-box:8080, http://gpu-box:8080/",
    "http://gpu-box, http://gpu-box/",
    "https://models.example:8443, https://models.example:8443/",
    "http://gpu-box:80/ollama, http://gpu-box:80/ollama/",
    "http://gpu-box/ollama/, http://gpu-box/ollama/",
    "'[::1]:9000', 'http://[::1]:9000/'"
  })
  void parse_hostPortOrUrl(String value, String expected) {
    assertThat(ServerAddress.parse(value, 11434, "OLLAMA_HOST")).hasToString(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "ftp://gpu-box, 'OLLAMA_HOST: must be an http or https address, was ''ftp://gpu-box'''",
    "'http://', 'OLLAMA_HOST: is not a host or URL, was ''http://'''",
    "'a b', 'OLLAMA_HOST: is not a host or URL, was ''a b'''",
    "'http:///path', 'OLLAMA_HOST: must name a host, was ''http:///path'''"
  })
  void parse_badValues_refusedNamingTheVariable(String value, String message) {
    assertThatThrownBy(() -> ServerAddress.parse(value, 11434, "OLLAMA_HOST")).hasMessage(message);
  }
}
