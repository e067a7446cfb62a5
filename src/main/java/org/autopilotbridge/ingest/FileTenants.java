package org.autopilotbridge.ingest;

import java.nio.file.Path;
import java.util.stream.Collectors;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.stereotype.Component;

/**
 * Which tenant a taken file is for: the one its route names in {@value #HEADER} (a tenant's inbox, or a vendor of
 * that tenant), else the one tenant of a single-tenant service. With several tenants a file that names none was
 * dropped straight into autopilot.inbox, where nobody can tell whose devices it holds, so it is refused.
 */
@Component
class FileTenants {

    static final String HEADER = "AutopilotTenant";

    private final Tenants tenants;
    private final FolderProperties folders;

    FileTenants(Tenants tenants, FolderProperties folders) {
        this.tenants = tenants;
        this.folders = folders;
    }

    /** The tenant the route named; none named: the one tenant, or the refusal that goes to dead-letter. */
    Tenant of(String named) {
        if (named != null && !named.isBlank()) {
            return tenants.get(named);
        }
        if (tenants.several()) {
            throw new WrongInboxException("this service serves several tenants: drop the file into one of "
                    + tenants.all().stream().map(t -> shown(t.folders().inbox())).sorted().collect(Collectors.joining(", ")));
        }
        return tenants.get(Tenant.SINGLE);
    }

    /** The tenant's name the ledger keeps for a file from there; {@value Tenant#SINGLE} for the top-level inbox. */
    static String nameOf(String named) {
        return named == null || named.isBlank() ? Tenant.SINGLE : named;
    }

    /** The dead-letter folder for a file the route took: its tenant's, or the top-level one where none is named. */
    Path deadLetter(String named) {
        return named == null || named.isBlank() ? folders.getDeadLetter() : tenants.get(named).folders().deadLetter();
    }

    /**
     * What the admin does with a refused file: fix it and drop it into its tenant's inbox (named where there are
     * several), or, dropped where no tenant's files belong, move it to the inbox of the tenant whose devices it holds.
     */
    String advice(String named, UnreadableHashFileException unreadable) {
        if (unreadable instanceof WrongInboxException) {
            return "Drop it into the inbox of the tenant whose devices it holds.";
        }
        if (named == null || named.isBlank() || !tenants.several()) {
            return "Fix the file and drop it into the inbox again.";
        }
        return "Fix the file and drop it into " + shown(tenants.get(named).folders().inbox()) + " again.";
    }

    /** " for contoso (…)" in a log line about a file, where the service serves several tenants; else nothing. */
    String forTenant(Tenant tenant) {
        return tenants.several() ? " for " + tenant.describe() : "";
    }

    /** A tenant's inbox as an admin finds it beside autopilot.inbox ("inbox/contoso"), else in full. */
    private String shown(Path inbox) {
        Path base = folders.getInbox().getParent();
        return base != null && inbox.startsWith(base) ? base.relativize(inbox).toString() : inbox.toString();
    }

    /** A file dropped where no tenant's files belong: it goes to dead-letter whole, as a file that is no hash file. */
    static final class WrongInboxException extends UnreadableHashFileException {
        WrongInboxException(String reason) {
            super(reason);
        }
    }
}
