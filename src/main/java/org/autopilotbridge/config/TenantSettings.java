package org.autopilotbridge.config;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

/**
 * One customer tenant of {@code autopilot.tenants.<name>}: every key but {@code tenant-id} may be left out, and then
 * the top-level {@code autopilot.*} key of the same name applies, so that one multi-tenant app registration is
 * configured once. Secrets come from the environment ({@code AUTOPILOT_TENANTS_<NAME>_CLIENTSECRET}) or files.
 */
public class TenantSettings {

    /** This customer's Entra ID tenant id (GUID) or primary domain; required. */
    private String tenantId;

    /** Application (client) id consented in this tenant (empty: autopilot.client-id). */
    private String clientId;

    /** Client secret for this tenant (empty: autopilot.client-secret); from the environment, never a file. */
    private String clientSecret;

    /** Certificate file for this tenant instead of a secret (empty: autopilot.client-certificate). */
    private Path clientCertificate;

    /** Password of that certificate file (empty: autopilot.client-certificate-password). */
    private String clientCertificatePassword;

    /** Microsoft cloud of this tenant (empty: autopilot.cloud). */
    private GraphProperties.Cloud cloud;

    /** Group tag for this tenant's devices whose file and vendor name none (empty: autopilot.group-tag). */
    private String groupTag;

    /** Drop folder of this tenant (empty: a folder named after the tenant in autopilot.inbox). */
    private Path inbox;

    /** Results folder of this tenant (empty: a folder named after the tenant in autopilot.done). */
    private Path done;

    /** Dead-letter folder of this tenant (empty: a folder named after the tenant in autopilot.dead-letter). */
    private Path deadLetter;

    @Valid
    private final Budget graphBudget = new Budget();

    /** This tenant's share of Graph per 20 seconds: Intune's limits are per app and per tenant. */
    public static class Budget {

        /** Graph writes per 20 seconds in this tenant (empty: autopilot.graph-budget.writes-per-20s). */
        @Min(value = 1, message = "a tenant's graph-budget.writes-per-20s must be at least 1")
        private Integer writesPer20s;

        /** Graph requests per 20 seconds in this tenant (empty: autopilot.graph-budget.requests-per-20s). */
        @Min(value = 1, message = "a tenant's graph-budget.requests-per-20s must be at least 1")
        private Integer requestsPer20s;

        public Integer getWritesPer20s() { return writesPer20s; }
        public void setWritesPer20s(Integer writesPer20s) { this.writesPer20s = writesPer20s; }
        public Integer getRequestsPer20s() { return requestsPer20s; }
        public void setRequestsPer20s(Integer requestsPer20s) { this.requestsPer20s = requestsPer20s; }
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
    public void setClientCertificatePassword(String password) { this.clientCertificatePassword = password; }
    public GraphProperties.Cloud getCloud() { return cloud; }
    public void setCloud(GraphProperties.Cloud cloud) { this.cloud = cloud; }
    public String getGroupTag() { return groupTag; }
    public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
    public Path getInbox() { return inbox; }
    public void setInbox(Path inbox) { this.inbox = inbox; }
    public Path getDone() { return done; }
    public void setDone(Path done) { this.done = done; }
    public Path getDeadLetter() { return deadLetter; }
    public void setDeadLetter(Path deadLetter) { this.deadLetter = deadLetter; }
    public Budget getGraphBudget() { return graphBudget; }
}
