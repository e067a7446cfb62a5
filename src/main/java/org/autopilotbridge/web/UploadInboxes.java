package org.autopilotbridge.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which inbox an upload goes to: the one inbox of a single-tenant service, or, with several tenants, the inbox of the
 * tenant the upload names, never autopilot.inbox, where a file for no tenant is refused.
 */
@Component
class UploadInboxes {

    /** By name, so that the form and a refusal list them alphabetically. */
    private final Map<String, UploadWriter> byTenant = new TreeMap<>();
    private final boolean several;

    UploadInboxes(Tenants tenants, WebProperties web) {
        for (Tenant t : tenants.all()) {
            byTenant.put(t.name(), new UploadWriter(t.folders().inbox(), web.getMaxUpload().toBytes()));
        }
        several = tenants.several();
    }

    /** Whether the service serves several tenants, each file in one of them. */
    boolean several() {
        return several;
    }

    /** The tenants an upload chooses among; none to choose from in a single-tenant service. */
    List<String> choices() {
        return several ? List.copyOf(byTenant.keySet()) : List.of();
    }

    /** The writer into that tenant's inbox; refused (400) when several are served and none, or none of them, is named. */
    UploadWriter into(String tenant) {
        if (!several && (tenant == null || tenant.isBlank())) {
            return byTenant.get(Tenant.SINGLE);
        }
        UploadWriter writer = tenant == null ? null : byTenant.get(tenant);
        if (writer == null) {
            throw new IllegalArgumentException((tenant == null || tenant.isBlank() ? "Name the tenant the file is for"
                    : "No tenant is named '" + tenant + "'") + (several ? ": send one of " + String.join(", ", byTenant.keySet())
                    + " in the form field \"tenant\"." : ": this service serves one tenant; leave the field \"tenant\" out."));
        }
        return writer;
    }

    /** The tenant an upload {@link #into} that tenant's inbox is for, as the ledger names it. */
    String tenantOf(String tenant) {
        return several ? tenant : Tenant.SINGLE;
    }

    /** What a stop left of uploads in every inbox (see {@link UploadWriter#removeLeftovers()}). */
    @EventListener(ApplicationReadyEvent.class)
    void removeLeftovers() throws IOException {
        for (UploadWriter writer : byTenant.values()) {
            writer.removeLeftovers();
        }
    }
}
