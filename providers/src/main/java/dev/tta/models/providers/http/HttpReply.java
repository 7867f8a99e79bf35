package dev.tta.models.providers.http;

import java.io.InputStream;
import java.util.Optional;

/**
 * A response whose status and headers have arrived and whose body is read as it comes. Closing it
 * before the body has been read to the end aborts the exchange and closes its connection, which is
 * how a cancelled stream stops the upstream work.
 */
public interface HttpReply extends AutoCloseable {

  int status();

  /** The first value of a header, matched case-insensitively. */
  Optional<String> header(String name);

  InputStream body();

  /** Releases the response; idempotent; never throws. */
  @Override
  void close();
}
