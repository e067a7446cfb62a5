package org.autopilotbridge.graph;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * Whether the service has begun to stop (Spring closes the context before Camel stops its routes). From then on no
 * call waits any more, for a retry, a Retry-After or the budget: it gives its work back to the ledger instead, so
 * that stopping takes no longer than the calls already on the wire.
 */
@Component
class ServiceStopping implements ApplicationListener<ContextClosedEvent> {

    private volatile boolean stopping;

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopping = true;
    }

    /** Throws when the service is stopping, so that a waiting call ends. */
    void check() {
        if (stopping) {
            throw new StoppingException();
        }
    }
}
