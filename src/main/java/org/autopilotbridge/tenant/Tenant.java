package org.autopilotbridge.tenant;

import java.net.URI;
import java.nio.file.Path;

/**
 * One tenant as the service uses it, every key resolved (its own, else the top-level one). {@link #name()} is what the
 * ledger, the logs, metrics and folders call it; a single-tenant service has one tenant named {@value #SINGLE}.
 * {@link #toString()} never shows a secret.
 */
public record Tenant(String name, String tenantId, String clientId, String clientSecret, Path clientCertificate,
                     String clientCertificatePassword, URI authority, URI graph, String groupTag, int writesPer20s,
                     int requestsPer20s, Folders folders) {

    /** The name of the one tenant of a service configured with autopilot.tenant-id (or of a dry run without one). */
    public static final String SINGLE = "default";

    /** Where this tenant's files are dropped, and where their results and dead letters go. */
    public record Folders(Path inbox, Path done, Path deadLetter) {
    }

    /** How log lines and messages name the tenant: its name, and its tenant id when that says more. */
    public String describe() {
        return tenantId == null || tenantId.isBlank() || name.equals(tenantId) ? name : name + " (" + tenantId + ")";
    }

    @Override
    public String toString() {
        return "Tenant[" + describe() + "]";
    }
}
