package dev.tta.models.management;

/**
 * Whether the gateway can serve: {@code healthy} when every provider answers, {@code degraded} when
 * some do, {@code unhealthy} when none does.
 */
public record Health(String status, int healthyProviders, int providers) {}
