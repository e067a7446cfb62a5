package org.autopilotbridge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * The service's whole configuration surface ({@code autopilot.*}). Invalid values stop start-up with a
 * message that names the key, because an unattended service must not start half-configured.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class AutopilotProperties implements Validator {

    /** Entra ID tenant (GUID or domain). Without it the service runs in dry-run mode. */
    private String tenantId;

    /** Application (client) id of the app registration. */
    private String clientId;

    /** Client secret of the app registration; take it from the environment, never from a committed file. */
    private String clientSecret;

    @NotNull(message = "autopilot.authority-url must be set")
    private URI authorityUrl = URI.create("https://login.microsoftonline.com");

    @NotNull(message = "autopilot.graph-url must be set")
    private URI graphUrl = URI.create("https://graph.microsoft.com/v1.0");

    @NotNull(message = "autopilot.inbox must be set")
    private Path inbox = Path.of("./data/inbox");

    @NotNull(message = "autopilot.done must be set")
    private Path done = Path.of("./data/done");

    @NotNull(message = "autopilot.dead-letter must be set")
    private Path deadLetter = Path.of("./data/dead-letter");

    @NotNull(message = "autopilot.data-dir must be set")
    private Path dataDir = Path.of("./data/state");

    /** Devices per Graph import call; the Intune portal's 500 is the documented safe ceiling. */
    @Min(value = 1, message = "autopilot.batch-size must be between 1 and 500")
    @Max(value = 500, message = "autopilot.batch-size must be between 1 and 500")
    private int batchSize = 500;

    @NotNull(message = "autopilot.poll-interval must be set")
    private Duration pollInterval = Duration.ofSeconds(30);

    @NotNull(message = "autopilot.poll-timeout must be set")
    private Duration pollTimeout = Duration.ofMinutes(60);

    @Size(max = DeviceLimits.GROUP_TAG_MAX, message = "autopilot.group-tag must be at most {max} characters")
    private String groupTag;

    private boolean cleanup = true;

    /** Null means "decide from the tenant": dry run when no tenant is configured. */
    private Boolean dryRun;

    public boolean isDryRunEffective() {
        return dryRun != null ? dryRun : isBlank(tenantId);
    }

    @Override
    public boolean supports(Class<?> type) {
        return AutopilotProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        AutopilotProperties p = (AutopilotProperties) target;
        if (p.pollInterval != null && (p.pollInterval.isNegative() || p.pollInterval.isZero())) {
            errors.rejectValue("pollInterval", "positive", "autopilot.poll-interval must be a positive duration such as 30s");
        }
        if (p.pollTimeout != null && p.pollInterval != null && p.pollTimeout.compareTo(p.pollInterval) < 0) {
            errors.rejectValue("pollTimeout", "range", "autopilot.poll-timeout must be at least autopilot.poll-interval");
        }
        requireHttpUrl(p.authorityUrl, "authorityUrl", "autopilot.authority-url", errors);
        requireHttpUrl(p.graphUrl, "graphUrl", "autopilot.graph-url", errors);
        if (p.isDryRunEffective()) {
            return;
        }
        if (isBlank(p.tenantId)) {
            errors.rejectValue("tenantId", "required", "autopilot.tenant-id is required when autopilot.dry-run is false");
        }
        if (isBlank(p.clientId)) {
            errors.rejectValue("clientId", "required", "autopilot.client-id is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        }
        if (isBlank(p.clientSecret)) {
            errors.rejectValue("clientSecret", "required", "autopilot.client-secret is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        }
    }

    private static void requireHttpUrl(URI url, String field, String key, Errors errors) {
        if (url != null && (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
            errors.rejectValue(field, "url", key + " must be an absolute http(s) URL");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public String getTenantId() { return tenantId; }
    public void setTenantId(String tenantId) { this.tenantId = tenantId; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public URI getAuthorityUrl() { return authorityUrl; }
    public void setAuthorityUrl(URI authorityUrl) { this.authorityUrl = authorityUrl; }
    public URI getGraphUrl() { return graphUrl; }
    public void setGraphUrl(URI graphUrl) { this.graphUrl = graphUrl; }
    public Path getInbox() { return inbox; }
    public void setInbox(Path inbox) { this.inbox = inbox; }
    public Path getDone() { return done; }
    public void setDone(Path done) { this.done = done; }
    public Path getDeadLetter() { return deadLetter; }
    public void setDeadLetter(Path deadLetter) { this.deadLetter = deadLetter; }
    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public Duration getPollTimeout() { return pollTimeout; }
    public void setPollTimeout(Duration pollTimeout) { this.pollTimeout = pollTimeout; }
    public String getGroupTag() { return groupTag; }
    public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
    public boolean isCleanup() { return cleanup; }
    public void setCleanup(boolean cleanup) { this.cleanup = cleanup; }
    public Boolean getDryRun() { return dryRun; }
    public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
}
