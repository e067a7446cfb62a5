package org.autopilotbridge.ops;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.springframework.stereotype.Component;

/**
 * Problems in progress, so that each is logged once when it starts and once when it is over, however often the
 * service retries in between (an unwritable folder is met on every poll).
 */
@Component
public class Incidents {

    private final Map<String, String> open = new ConcurrentHashMap<>();
    private final ServiceEvents events;

    public Incidents(ServiceEvents events) {
        this.events = events;
    }

    /** Records {@code reason} for {@code subject}; true if that is news worth a log line. */
    public boolean started(String subject, String reason) {
        return !reason.equals(open.put(subject, reason));
    }

    /** The reason of the subject's incident while it goes on. */
    public Optional<String> ongoing(String subject) {
        return Optional.ofNullable(open.get(subject));
    }

    /** Closes the subject's incident; true if there was one, worth a log line saying it is over. */
    public boolean ended(String subject) {
        return open.remove(subject) != null;
    }

    /**
     * {@code work}, which the service tries again on its own schedule, failed for {@code reason}: a WARN when that is
     * news (the incident starts or its reason changes), nothing while it goes on.
     */
    public void failing(Logger log, String work, String reason) {
        if (started(work, reason)) {
            events.error(work + ": " + reason);
            log.warn("{} failed: {}. Tried again on its schedule; logged again only when the reason changes or it works "
                    + "again.", work, reason);
        }
    }

    /** {@code work} succeeded: said once if it had been failing. */
    public void working(Logger log, String work) {
        if (ended(work)) {
            log.info("{} works again", work);
        }
    }

    /** A failure as one line for a log or a report: its root cause's type and message, never a stack trace. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        return root.getClass().getSimpleName() + message;
    }
}
