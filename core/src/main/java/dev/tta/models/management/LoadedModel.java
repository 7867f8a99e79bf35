package dev.tta.models.management;

/** A model made ready by a load, with the status its provider reports. */
public record LoadedModel(String model, String status) {}
