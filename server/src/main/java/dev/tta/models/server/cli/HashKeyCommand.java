package dev.tta.models.server.cli;

import dev.tta.models.server.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes the hashed form of an API key for the configuration, so the file holds no key. */
@Command(
    name = "hash-key",
    mixinStandardHelpOptions = true,
    description = {
      "Read an API key from standard input and print its hash (sha256:...) for auth.client_keys"
          + " or auth.admin_key.",
      "With --generate, make a new random key and print the key and its hash."
    })
final class HashKeyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--generate", description = "Generate a new random key.")
  boolean generate;

  @Override
  public Integer call() throws IOException {
    String key;
    if (generate) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      key = "mm-" + HexFormat.of().formatHex(random);
      spec.commandLine().getOut().println("key:  " + key);
    } else {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      key = line == null ? "" : line.trim();
    }
    try {
      spec.commandLine().getOut().println((generate ? "hash: " : "") + ApiKeys.hashed(key));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
