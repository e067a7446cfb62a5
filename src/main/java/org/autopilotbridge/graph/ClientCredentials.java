package org.autopilotbridge.graph;

import java.util.List;

import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.AutopilotProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the credential from the configuration (validation guarantees exactly one is set outside a dry run). */
@Configuration(proxyBeanMethods = false)
class ClientCredentials {

    @Bean
    ClientCredential clientCredential(AutopilotProperties properties) {
        if (properties.getClientCertificate() != null && !properties.isDryRunEffective()) {
            return ClientCertificateCredential.load(properties.getClientId(), properties.getClientCertificate(),
                    properties.getClientCertificatePassword());
        }
        return tokenUrl -> List.of(new BasicNameValuePair("client_secret", properties.getClientSecret()));
    }
}
