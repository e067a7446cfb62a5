package org.autopilotbridge.graph;

/**
 * The service is stopping while a call waited to be tried again: the wait ends at once and the work is left in the
 * ledger, where the next start finds it (a batch still to send is adopted by importId, one to follow is followed).
 */
public class StoppingException extends RuntimeException {

    StoppingException() {
        super("the service is stopping; the work stays in the ledger for the next start");
    }
}
