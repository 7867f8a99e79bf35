package dev.tta.models.management;

/** Why a management operation could not be carried out for what the caller named. */
public sealed class ManagementException extends RuntimeException {

  @java.io.Serial private static final long serialVersionUID = 1L;

  private ManagementException(String message) {
    super(message);
  }

  /** No configured provider offers the named model. */
  public static final class UnknownModel extends ManagementException {
    @java.io.Serial private static final long serialVersionUID = 1L;

    public UnknownModel(String model, String why) {
      super("model: '" + model + "' " + why);
    }
  }

  /** No provider of that name is configured. */
  public static final class UnknownProvider extends ManagementException {
    @java.io.Serial private static final long serialVersionUID = 1L;

    public UnknownProvider(String provider) {
      super("provider: no provider named '" + provider + "' is configured");
    }
  }

  /** The operation needs a provider that supports it, and none (or not the named one) does. */
  public static final class Unsupported extends ManagementException {
    @java.io.Serial private static final long serialVersionUID = 1L;

    public Unsupported(String message) {
      super(message);
    }
  }
}
