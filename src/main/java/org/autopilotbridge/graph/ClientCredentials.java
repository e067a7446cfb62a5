package org.autopilotbridge.graph;

import java.util.List;

import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.install.ConfiguredFiles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the credential from the configuration (validation guarantees exactly one is set outside a dry run). */
@Configuration(proxyBeanMethods = false)
class ClientCredentials {

    @Bean
    ClientCredential clientCredential(TenantProperties tenant, ConfiguredFiles files) {
        if (tenant.getClientCertificate() != null && !tenant.isDryRunEffective()) {
            return ClientCertificateCredential.load(tenant.getClientId(), files.resolve(tenant.getClientCertificate()),
                    tenant.getClientCertificatePassword());
        }
        return tokenUrl -> List.of(new BasicNameValuePair("client_secret", tenant.getClientSecret()));
    }
}
