package org.autopilotbridge.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Whose Autopilot the service imports into, and how it proves it may ({@code autopilot.tenant-id}, {@code client-*},
 * {@code dry-run}), or, for a reseller or service provider, several customer tenants ({@code autopilot.tenants}).
 * Without a tenant the service runs dry; with one, start-up stops unless exactly one credential applies to each.
 * Secrets are never part of a message.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class TenantProperties implements Validator {

    private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9-]{1,40}");

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

    /** true: read, validate and report only, never calling Graph; empty: a dry run exactly when no tenant is set. */
    private Boolean dryRun;

    /**
     * Customer tenants served from this one service, by a name of letters, digits and '-' that also names their
     * folders; instead of autopilot.tenant-id. Each key left out of a tenant falls back to the top-level one.
     */
    @Valid
    private final Map<String, TenantSettings> tenants = new LinkedHashMap<>();

    public boolean isDryRunEffective() {
        return dryRun != null ? dryRun : Values.isBlank(tenantId) && tenants.isEmpty();
    }

    @Override
    public boolean supports(Class<?> type) {
        return TenantProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        TenantProperties p = (TenantProperties) target;
        if (!p.tenants.isEmpty()) {
            validateTenants(p, errors);
            return;
        }
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

    private static void validateTenants(TenantProperties p, Errors errors) {
        if (!Values.isBlank(p.tenantId)) {
            errors.rejectValue("tenantId", "exclusive", "set either autopilot.tenant-id (one tenant) or autopilot.tenants "
                    + "(several), not both");
        }
        p.tenants.forEach((name, t) -> {
            String key = "autopilot.tenants." + name;
            if (!TENANT_NAME.matcher(name).matches()) {
                errors.reject("tenantName", key + ": a tenant's name is 1 to 40 letters, digits and '-', as it names its folders");
            }
            if (Values.isBlank(t.getTenantId())) {
                errors.reject("tenantId", key + ".tenant-id is required");
            }
            if (p.isDryRunEffective()) {
                return;
            }
            if (Values.isBlank(t.getClientId()) && Values.isBlank(p.clientId)) {
                errors.reject("clientId", key + ".client-id or autopilot.client-id is required to call Graph");
            }
            boolean ownSecret = !Values.isBlank(t.getClientSecret());
            boolean ownCertificate = t.getClientCertificate() != null;
            if (ownSecret && ownCertificate) {
                errors.reject("credential", "set either " + key + ".client-secret or " + key + ".client-certificate, not both");
            } else if (!ownSecret && !ownCertificate && Values.isBlank(p.clientSecret) == (p.clientCertificate == null)) {
                errors.reject("credential", key + " has no credential of its own, and exactly one of autopilot.client-secret "
                        + "or autopilot.client-certificate is needed for it");
            }
        });
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
    public Map<String, TenantSettings> getTenants() { return tenants; }
}
