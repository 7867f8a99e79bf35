package dev.tta.models.chat;

import java.util.Locale;

/** Who wrote a chat message. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWireName(String text) {
    String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (Role role : values()) {
      if (role.name().equals(wanted)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "role: must be one of system, user, assistant, tool, was '" + text + "'");
  }
}
