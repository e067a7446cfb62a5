package org.autopilotbridge.graph;

import java.util.List;

import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.install.ConfiguredFiles;
import org.autopilotbridge.tenant.Tenant;

/** Chooses a tenant's credential (validation guarantees exactly one applies to each tenant outside a dry run). */
final class ClientCredentials {

    private ClientCredentials() {
    }

    static ClientCredential of(Tenant tenant, ConfiguredFiles files, boolean dryRun) {
        if (tenant.clientCertificate() != null && !dryRun) {
            return ClientCertificateCredential.load(tenant.clientId(), files.resolve(tenant.clientCertificate()),
                    tenant.clientCertificatePassword());
        }
        return tokenUrl -> List.of(new BasicNameValuePair("client_secret", tenant.clientSecret()));
    }
}
