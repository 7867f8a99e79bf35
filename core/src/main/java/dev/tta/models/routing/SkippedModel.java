package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;

/**
 * A candidate the router did not call, and why (a broken hard requirement, an open circuit, an
 * exclusion after repeated failures, its provider out after an authentication failure ...).
 */
public record SkippedModel(ModelKey model, String reason) {}
