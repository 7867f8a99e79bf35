package dev.tta.models.routing;

/**
 * Receives every {@link RoutingEvent}. Called on the routing thread, so it must be quick and must
 * not throw (a throwing listener is logged and ignored).
 */
@FunctionalInterface
public interface RoutingListener {

  void on(RoutingEvent event);

  RoutingListener NONE = event -> {};
}
