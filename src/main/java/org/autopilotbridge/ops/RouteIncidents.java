package org.autopilotbridge.ops;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The error handler of the ledger routes (routes/90-errors.camel.yaml): a failing run is logged once per incident, with
 * its root cause in one line, and the route's recovery once; in between, every wake-up retries quietly.
 */
@Component("routeIncidents")
public class RouteIncidents {

    private static final Logger LOG = LoggerFactory.getLogger(RouteIncidents.class);

    private final Incidents incidents;
    private final ServiceEvents events;

    RouteIncidents(Incidents incidents, ServiceEvents events) {
        this.incidents = incidents;
        this.events = events;
    }

    /** A run of the route failed; said once until the reason changes or the route works again. */
    public void failed(Exchange exchange) {
        String route = exchange.getFromRouteId();
        String reason = Incidents.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (incidents.started("route:" + route, reason)) {
            events.error("route " + route + ": " + reason);
            LOG.error("Route {} failed: {}. Its work stays in the ledger and is tried again whenever the route is woken; this is "
                    + "logged again only when the reason changes or the route works again.", route, reason);
        }
    }

    /** A run ended; if it succeeded after an incident, that is said once. */
    public void completed(Exchange exchange) {
        String route = exchange.getFromRouteId();
        if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) == null && incidents.ended("route:" + route)) {
            LOG.info("Route {} works again", route);
        }
    }
}
