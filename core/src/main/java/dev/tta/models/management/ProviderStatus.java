package dev.tta.models.management;

import java.util.Optional;

/**
 * One provider as system status shows it.
 *
 * @param models how many models it lists now (0 when its listing fails)
 * @param outOfService why the fallback policy took it out of service; empty when it is in service
 */
public record ProviderStatus(
    String id,
    String type,
    boolean local,
    boolean healthy,
    String detail,
    int models,
    Optional<String> outOfService) {}
