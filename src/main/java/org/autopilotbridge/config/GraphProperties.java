package org.autopilotbridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Where Graph is and how much of it the service uses ({@code autopilot.cloud}, the URLs and proxy, the
 * concurrency, {@code graph-budget}, the batch size and how imports are followed).
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class GraphProperties implements Validator {

    /** Microsoft cloud (usgov: GCC High, usgov-dod: DoD, china: 21Vianet); picks the authority and Graph URLs. */
    @NotNull(message = "autopilot.cloud must be one of global, usgov, usgov-dod, china")
    private Cloud cloud = Cloud.GLOBAL;

    /** Token authority (empty: the cloud's, https://login.microsoftonline.com for global). */
    private URI authorityUrl;

    /** Graph base URL with its API version, e.g. .../beta (empty: the cloud's v1.0). */
    private URI graphUrl;

    /** HTTP proxy for token and Graph calls, e.g. http://proxy.corp.example:8080 (empty: direct connections). */
    private URI proxyUrl;

    /** Proxy user (Basic), if the proxy asks for one; needs proxy-url. */
    private String proxyUser;

    /** Proxy password; set it in the environment (AUTOPILOT_PROXY_PASSWORD), never in a file. */
    private String proxyPassword;

    /**
     * Graph calls in flight at once, 1 to 16, shared by sending, following and clean-up; a 429's Retry-After holds
     * back all of them, and the graph-budget caps what they may spend.
     */
    // Each call mostly waits on Graph, so a few in parallel hide its latency: at about 100 ms a call, 8 hold some
    // 80 requests a second.
    @Min(value = 1, message = "autopilot.graph-concurrency must be between 1 and 16")
    @Max(value = 16, message = "autopilot.graph-concurrency must be between 1 and 16")
    private int graphConcurrency = 8;

    @Valid
    private final GraphBudget graphBudget = new GraphBudget();

    /** Devices per Graph import call, 1 to 500 (the Intune portal's 500 is the documented safe ceiling). */
    @Min(value = 1, message = "autopilot.batch-size must be between 1 and 500")
    @Max(value = 500, message = "autopilot.batch-size must be between 1 and 500")
    private int batchSize = 500;

    /** How often each sent batch's import state is read from Graph. */
    @NotNull(message = "autopilot.poll-interval must be set")
    private Duration pollInterval = Duration.ofSeconds(30);

    /** How long a device may stay pending before it is reported as timeout; at least poll-interval. */
    @NotNull(message = "autopilot.poll-timeout must be set")
    private Duration pollTimeout = Duration.ofMinutes(60);

    /** The token authority in use: {@code authority-url} if set, else the cloud's. */
    public URI authority() {
        return authority(cloud);
    }

    /** The token authority for a tenant in {@code tenantCloud}: {@code authority-url} if set, else that cloud's. */
    public URI authority(Cloud tenantCloud) {
        return Values.isSet(authorityUrl) ? authorityUrl : tenantCloud.authority;
    }

    /** The Graph base URL in use: {@code graph-url} if set, else the cloud's v1.0. */
    public URI graph() {
        return graph(cloud);
    }

    /** The Graph base URL for a tenant in {@code tenantCloud}: {@code graph-url} if set, else that cloud's v1.0. */
    public URI graph(Cloud tenantCloud) {
        return Values.isSet(graphUrl) ? graphUrl : tenantCloud.graph;
    }

    public boolean hasProxy() {
        return Values.isSet(proxyUrl);
    }

    /** The national clouds of Microsoft Graph, with their token authority and Graph endpoints. */
    public enum Cloud {
        GLOBAL("https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0"),
        USGOV("https://login.microsoftonline.us", "https://graph.microsoft.us/v1.0"),
        USGOV_DOD("https://login.microsoftonline.us", "https://dod-graph.microsoft.us/v1.0"),
        CHINA("https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0");

        private final URI authority;
        private final URI graph;

        Cloud(String authority, String graph) {
            this.authority = URI.create(authority);
            this.graph = URI.create(graph);
        }
    }

    /**
     * How much of Graph this service may use per 20 seconds. Microsoft documents for Intune enrollment, per app and
     * tenant, 100 writes and 1,000 requests per 20 seconds; every request inside a JSON $batch counts on its own.
     */
    public static class GraphBudget {

        /** Graph writes per 20 seconds: imports, creates, deletes, updates and the sync. */
        @Min(value = 1, message = "autopilot.graph-budget.writes-per-20s must be at least 1")
        private int writesPer20s = 100;

        /** Graph requests of any kind per 20 seconds. */
        @Min(value = 1, message = "autopilot.graph-budget.requests-per-20s must be at least 1")
        private int requestsPer20s = 1000;

        public int getWritesPer20s() { return writesPer20s; }
        public void setWritesPer20s(int writesPer20s) { this.writesPer20s = writesPer20s; }
        public int getRequestsPer20s() { return requestsPer20s; }
        public void setRequestsPer20s(int requestsPer20s) { this.requestsPer20s = requestsPer20s; }
    }

    @Override
    public boolean supports(Class<?> type) {
        return GraphProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        GraphProperties p = (GraphProperties) target;
        if (p.pollInterval != null && (p.pollInterval.isNegative() || p.pollInterval.isZero())) {
            errors.rejectValue("pollInterval", "positive", "autopilot.poll-interval must be a positive duration such as 30s");
        }
        if (p.pollTimeout != null && p.pollInterval != null && p.pollTimeout.compareTo(p.pollInterval) < 0) {
            errors.rejectValue("pollTimeout", "range", "autopilot.poll-timeout must be at least autopilot.poll-interval");
        }
        requireHttpsUrl(p.authorityUrl, "authorityUrl", "autopilot.authority-url", errors);
        requireHttpsUrl(p.graphUrl, "graphUrl", "autopilot.graph-url", errors);
        requireHttpUrl(p.proxyUrl, "proxyUrl", "autopilot.proxy-url", errors);
        if (!Values.isBlank(p.proxyUser) && !p.hasProxy()) {
            errors.rejectValue("proxyUser", "proxy", "autopilot.proxy-user needs autopilot.proxy-url");
        }
    }

    private static void requireHttpUrl(URI url, String field, String key, Errors errors) {
        if (Values.isSet(url) && (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
            errors.rejectValue(field, "url", key + " must be an absolute http(s) URL");
        }
    }

    /**
     * The client secret or assertion and every token travel to these URLs: https, except to this machine (a test
     * stand-in, or a local TLS-terminating relay), where nothing crosses a network.
     */
    private static void requireHttpsUrl(URI url, String field, String key, Errors errors) {
        requireHttpUrl(url, field, key, errors);
        if (Values.isSet(url) && "http".equals(url.getScheme()) && url.getHost() != null && !isLoopback(url.getHost())) {
            errors.rejectValue(field, "https", key + " must be an https URL (http only to this machine: localhost, 127.0.0.1, [::1])");
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        return bare.equals("localhost") || bare.startsWith("127.") || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1");
    }

    public Cloud getCloud() { return cloud; }
    public void setCloud(Cloud cloud) { this.cloud = cloud; }
    public URI getAuthorityUrl() { return authorityUrl; }
    public void setAuthorityUrl(URI authorityUrl) { this.authorityUrl = authorityUrl; }
    public URI getGraphUrl() { return graphUrl; }
    public void setGraphUrl(URI graphUrl) { this.graphUrl = graphUrl; }
    public URI getProxyUrl() { return proxyUrl; }
    public void setProxyUrl(URI proxyUrl) { this.proxyUrl = proxyUrl; }
    public String getProxyUser() { return proxyUser; }
    public void setProxyUser(String proxyUser) { this.proxyUser = proxyUser; }
    public String getProxyPassword() { return proxyPassword; }
    public void setProxyPassword(String proxyPassword) { this.proxyPassword = proxyPassword; }
    public int getGraphConcurrency() { return graphConcurrency; }
    public void setGraphConcurrency(int graphConcurrency) { this.graphConcurrency = graphConcurrency; }
    public GraphBudget getGraphBudget() { return graphBudget; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public Duration getPollTimeout() { return pollTimeout; }
    public void setPollTimeout(Duration pollTimeout) { this.pollTimeout = pollTimeout; }
}
