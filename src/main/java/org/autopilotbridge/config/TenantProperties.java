package org.autopilotbridge.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Whose Autopilot the service imports into, and how it proves it may ({@code autopilot.tenant-id}, {@code client-*},
 * {@code dry-run}). Without a tenant the service runs dry; with one, start-up stops unless exactly one credential is
 * set. Secrets are never part of a message.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class TenantProperties implements Validator {

    /** Entra ID tenant id (GUID) or primary domain; empty: a dry run, in which files are read, validated and reported only. */
    private String tenantId;

    /** Application (client) id of the app registration holding DeviceManagementServiceConfig.ReadWrite.All. */
    private String clientId;

    /** Client secret of that app registration; set it in the environment (AUTOPILOT_CLIENT_SECRET), never in a file. */
    private String clientSecret;

    /** PKCS#12 (.pfx/.p12) or PEM file with the private key and its certificate, instead of a client secret. */
    private Path clientCertificate;

    /** Password of that file (PKCS#12, or an encrypted PEM key); set it in the environment, never in a file. */
    private String clientCertificatePassword;

    /** true: read, validate and report only, never calling Graph; empty: a dry run exactly when no tenant-id is set. */
    private Boolean dryRun;

    public boolean isDryRunEffective() {
        return dryRun != null ? dryRun : Values.isBlank(tenantId);
    }

    @Override
    public boolean supports(Class<?> type) {
        return TenantProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        TenantProperties p = (TenantProperties) target;
        if (p.isDryRunEffective()) {
            return;
        }
        if (Values.isBlank(p.tenantId)) {
            errors.rejectValue("tenantId", "required", "autopilot.tenant-id is required when autopilot.dry-run is false");
        }
        if (Values.isBlank(p.clientId)) {
            errors.rejectValue("clientId", "required", "autopilot.client-id is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        }
        boolean secret = !Values.isBlank(p.clientSecret);
        if (secret == (p.clientCertificate != null)) {
            errors.rejectValue("clientSecret", "credential", secret
                    ? "set either autopilot.client-secret or autopilot.client-certificate, not both"
                    : "autopilot.client-secret or autopilot.client-certificate is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        }
    }

    public String getTenantId() { return tenantId; }
    public void setTenantId(String tenantId) { this.tenantId = tenantId; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public Path getClientCertificate() { return clientCertificate; }
    public void setClientCertificate(Path clientCertificate) { this.clientCertificate = clientCertificate; }
    public String getClientCertificatePassword() { return clientCertificatePassword; }
    public void setClientCertificatePassword(String clientCertificatePassword) { this.clientCertificatePassword = clientCertificatePassword; }
    public Boolean getDryRun() { return dryRun; }
    public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
}
