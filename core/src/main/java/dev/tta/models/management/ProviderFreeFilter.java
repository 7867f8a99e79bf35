package dev.tta.models.management;

/** The free-model filter one provider applies now. */
public record ProviderFreeFilter(String provider, FreeModelFilter filter) {}
