package org.autopilotbridge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

    /**
     * The base of every relative path, and the folder whose config/ and routes/ are read; only from the command line,
     * a system property or AUTOPILOT_HOME, never a configuration file (empty: the working directory).
     */
    private Path home;

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

    /** Request an Autopilot sync after files whose devices imported or were updated (at most once per 10 minutes). */
    private boolean sync = true;

    @Valid
    private final Retry retry = new Retry();

    @Valid
    private final GraphBudget graphBudget = new GraphBudget();

    @Valid
    private final Cluster cluster = new Cluster();

    /** OEMs and resellers whose SFTP servers are polled for hash files; none by default. */
    @Valid
    private List<Vendor> vendors = new ArrayList<>();

    /**
     * Drop folder watched for hash files (names starting with '.' and *.part, *.tmp are ignored); it, done,
     * dead-letter and data-dir are created at start if missing, and one that cannot be written stops start-up.
     */
    @NotNull(message = "autopilot.inbox must be set")
    private Path inbox = Path.of("./data/inbox");

    /** Where finished files go, each with its {@code <name>.results.csv} beside it. */
    @NotNull(message = "autopilot.done must be set")
    private Path done = Path.of("./data/done");

    /** Where unusable files (with {@code <name>.error.txt}) and the failed lines of good files ({@code <name>.failed.csv}) go. */
    @NotNull(message = "autopilot.dead-letter must be set")
    private Path deadLetter = Path.of("./data/dead-letter");

    /** The embedded H2 ledger (when spring.datasource.url is empty) and the files being processed; keep it on local disk. */
    @NotNull(message = "autopilot.data-dir must be set")
    private Path dataDir = Path.of("./data/state");

    /** Devices per Graph import call, 1 to 500 (the Intune portal's 500 is the documented safe ceiling). */
    @Min(value = 1, message = "autopilot.batch-size must be between 1 and 500")
    @Max(value = 500, message = "autopilot.batch-size must be between 1 and 500")
    private int batchSize = 500;

    /**
     * Graph calls in flight at once, 1 to 16, shared by sending, following and clean-up; a 429's Retry-After holds
     * back all of them, and the graph-budget caps what they may spend.
     */
    // Each call mostly waits on Graph, so a few in parallel hide its latency: at about 100 ms a call, 8 hold some
    // 80 requests a second.
    @Min(value = 1, message = "autopilot.graph-concurrency must be between 1 and 16")
    @Max(value = 16, message = "autopilot.graph-concurrency must be between 1 and 16")
    private int graphConcurrency = 8;

    /** How often each sent batch's import state is read from Graph. */
    @NotNull(message = "autopilot.poll-interval must be set")
    private Duration pollInterval = Duration.ofSeconds(30);

    /** How long a device may stay pending before it is reported as timeout; at least poll-interval. */
    @NotNull(message = "autopilot.poll-timeout must be set")
    private Duration pollTimeout = Duration.ofMinutes(60);

    /** Group tag for devices whose line has none (empty: no group tag). */
    @Size(max = DeviceLimits.GROUP_TAG_MAX, message = "autopilot.group-tag must be at most {max} characters")
    private String groupTag;

    /** Delete the imported records once their devices are final (they are only Graph's staging area). */
    private boolean cleanup = true;

    /**
     * Change registered devices as files ask: a line Graph finds already registered (806) that carries its own Group
     * Tag or Assigned User gets them, and lines with a serial number and a group tag or user but no hardware hash are
     * updates; false: 806 is only reported, and lines without a hash are rejected.
     */
    private boolean updateExisting = true;

    /**
     * Tries of one device's update, 1 to 20, before its line fails: Graph answers some bulk updates 412
     * ConditionNotMet, and an answer can be lost.
     */
    @Min(value = 1, message = "autopilot.update-attempts must be between 1 and 20")
    @Max(value = 20, message = "autopilot.update-attempts must be between 1 and 20")
    private int updateAttempts = 5;

    /** Wait before an update is tried again; it doubles with each try (positive, at most 1h). */
    @NotNull(message = "autopilot.update-retry-delay must be set")
    private Duration updateRetryDelay = Duration.ofMinutes(1);

    /**
     * How long the ledger keeps a finished or refused file with its lines (at least 1d), checked every hour; a file
     * dropped again after that is imported again, and Graph reports its devices as already registered.
     */
    // Failed attempts at a file's content and instances not seen for as long go too; a file still being read or
    // followed never does. The devices gauges of the metrics keep counting removed files.
    @NotNull(message = "autopilot.retention must be set")
    private Duration retention = Duration.ofDays(90);

    /** true: read, validate and report only, never calling Graph; empty: a dry run exactly when no tenant-id is set. */
    private Boolean dryRun;

    public boolean isDryRunEffective() {
        return dryRun != null ? dryRun : isBlank(tenantId);
    }

    /** The token authority in use: {@code authority-url} if set, else the cloud's. */
    public URI authority() {
        return isSet(authorityUrl) ? authorityUrl : cloud.authority;
    }

    /** The Graph base URL in use: {@code graph-url} if set, else the cloud's v1.0. */
    public URI graph() {
        return isSet(graphUrl) ? graphUrl : cloud.graph;
    }

    public boolean hasProxy() {
        return isSet(proxyUrl);
    }

    /** {@code path} as the service uses it: relative paths are taken from {@code autopilot.home}, never from elsewhere. */
    public Path resolve(Path path) {
        return path == null ? null : getHome().resolve(path).normalize();
    }

    /** The folders the service writes to, by their keys: each must exist, or be creatable, and be writable. */
    public Map<String, Path> workFolders() {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("autopilot.inbox", getInbox());
        folders.put("autopilot.done", getDone());
        folders.put("autopilot.dead-letter", getDeadLetter());
        folders.put("autopilot.data-dir", getDataDir());
        return folders;
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

    /** One vendor's SFTP drop. */
    public static class Vendor {

        /** Names the vendor's route ({@code sftp-<name>}) and its folder in done and dead-letter. */
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "autopilot.vendors[].name must be 1 to 64 letters, digits, '.', '_' or '-'")
        private String name;

        /** Group tag for this vendor's devices whose line has none (empty: autopilot.group-tag). */
        @Size(max = DeviceLimits.GROUP_TAG_MAX, message = "autopilot.vendors[].group-tag must be at most {max} characters")
        private String groupTag;

        @Valid
        private final Sftp sftp = new Sftp();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getGroupTag() { return groupTag; }
        public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
        public Sftp getSftp() { return sftp; }
    }

    /** Where and how to fetch a vendor's files. Host keys are always checked against {@code known-hosts-file}. */
    public static class Sftp {

        /** The vendor's SFTP server. */
        private String host;

        /** Its SSH port. */
        @Min(value = 1, message = "autopilot.vendors[].sftp.port must be between 1 and 65535")
        @Max(value = 65535, message = "autopilot.vendors[].sftp.port must be between 1 and 65535")
        private int port = 22;

        /** Login at the vendor's server. */
        private String username;

        /** Private key (OpenSSH or PEM format), preferred over a password. */
        private Path privateKeyFile;

        /** Passphrase of that key, if it has one; set it in the environment, never in a file. */
        private String privateKeyPassphrase;

        /** Password, only when the vendor allows no key; set it in the environment, never in a file. */
        private String password;

        /** known_hosts file holding the server's host key ({@code ssh-keyscan -p PORT HOST}). */
        private Path knownHostsFile;

        /**
         * Folder on the server holding the hash files: absolute as vendors give it ({@code /outbound/hashes}), or
         * relative to the login folder (empty: the login folder). It is never created on the vendor's server.
         */
        private String directory = "";

        /** How often the server is polled. */
        @NotNull(message = "autopilot.vendors[].sftp.poll-interval must be set")
        private Duration pollInterval = Duration.ofMinutes(1);

        /** Delete fetched files on the server instead of moving them into the .done folder. */
        private boolean delete;

        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public Path getPrivateKeyFile() { return privateKeyFile; }
        public void setPrivateKeyFile(Path privateKeyFile) { this.privateKeyFile = privateKeyFile; }
        public String getPrivateKeyPassphrase() { return privateKeyPassphrase; }
        public void setPrivateKeyPassphrase(String privateKeyPassphrase) { this.privateKeyPassphrase = privateKeyPassphrase; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Path getKnownHostsFile() { return knownHostsFile; }
        public void setKnownHostsFile(Path knownHostsFile) { this.knownHostsFile = knownHostsFile; }
        public String getDirectory() { return directory; }
        public void setDirectory(String directory) { this.directory = directory; }
        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
        public boolean isDelete() { return delete; }
        public void setDelete(boolean delete) { this.delete = delete; }
    }

    /** How throttled or failing Graph calls are retried. */
    public static class Retry {

        /** Attempts per Graph call when Graph throttles (429) or is unavailable (503), the first included. */
        @Min(value = 1, message = "autopilot.retry.max-attempts must be between 1 and 50")
        @Max(value = 50, message = "autopilot.retry.max-attempts must be between 1 and 50")
        private int maxAttempts = 8;

        /**
         * The longest one call waits in total between attempts, Retry-After included (a longer Retry-After is cut to
         * it); then Graph is in an outage, which the work waits out: nothing is failed for it.
         */
        @NotNull(message = "autopilot.retry.max-wait must be set")
        private Duration maxWait = Duration.ofMinutes(15);

        /** First backoff when Graph gives no Retry-After; it doubles per attempt, with jitter. */
        @NotNull(message = "autopilot.retry.initial-backoff must be set")
        private Duration initialBackoff = Duration.ofSeconds(1);

        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public Duration getMaxWait() { return maxWait; }
        public void setMaxWait(Duration maxWait) { this.maxWait = maxWait; }
        public Duration getInitialBackoff() { return initialBackoff; }
        public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
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

    /** Several instances on one PostgreSQL ledger: how work is leased to an instance. */
    public static class Cluster {

        /**
         * How long work claimed by an instance stays its own without renewal (renewed every third of it, at least 3s);
         * the work of an instance that died is taken over by the others when its leases run out.
         */
        @NotNull(message = "autopilot.cluster.lease must be set")
        private Duration lease = Duration.ofSeconds(30);

        /** This instance's name in the ledger, JMX and health; empty: the host name and the process id. */
        @Size(max = 100, message = "autopilot.cluster.instance-id must be at most {max} characters")
        private String instanceId;

        public Duration getLease() { return lease; }
        public void setLease(Duration lease) { this.lease = lease; }
        public String getInstanceId() { return instanceId; }
        public void setInstanceId(String instanceId) { this.instanceId = instanceId; }
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
        if (p.cluster.lease != null && p.cluster.lease.compareTo(Duration.ofSeconds(3)) < 0) {
            errors.rejectValue("cluster.lease", "range", "autopilot.cluster.lease must be at least 3s");
        }
        if (p.pollTimeout != null && p.pollInterval != null && p.pollTimeout.compareTo(p.pollInterval) < 0) {
            errors.rejectValue("pollTimeout", "range", "autopilot.poll-timeout must be at least autopilot.poll-interval");
        }
        if (p.updateRetryDelay != null && (p.updateRetryDelay.isNegative() || p.updateRetryDelay.isZero()
                || p.updateRetryDelay.compareTo(Duration.ofHours(1)) > 0)) {
            errors.rejectValue("updateRetryDelay", "range", "autopilot.update-retry-delay must be a positive duration of at most 1h, such as 1m");
        }
        if (p.retention != null && p.retention.compareTo(Duration.ofDays(1)) < 0) {
            errors.rejectValue("retention", "range", "autopilot.retention must be at least 1d, such as 90d");
        }
        requireHttpsUrl(p.authorityUrl, "authorityUrl", "autopilot.authority-url", errors);
        requireHttpsUrl(p.graphUrl, "graphUrl", "autopilot.graph-url", errors);
        requireHttpUrl(p.proxyUrl, "proxyUrl", "autopilot.proxy-url", errors);
        if (!isBlank(p.proxyUser) && !p.hasProxy()) {
            errors.rejectValue("proxyUser", "proxy", "autopilot.proxy-user needs autopilot.proxy-url");
        }
        validateVendors(p, errors);
        if (p.isDryRunEffective()) {
            return;
        }
        if (isBlank(p.tenantId)) {
            errors.rejectValue("tenantId", "required", "autopilot.tenant-id is required when autopilot.dry-run is false");
        }
        if (isBlank(p.clientId)) {
            errors.rejectValue("clientId", "required", "autopilot.client-id is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        }
        boolean secret = !isBlank(p.clientSecret);
        boolean certificate = p.clientCertificate != null;
        if (secret == certificate) {
            errors.rejectValue("clientSecret", "credential", secret
                    ? "set either autopilot.client-secret or autopilot.client-certificate, not both"
                    : "autopilot.client-secret or autopilot.client-certificate is required to call Graph (or leave autopilot.tenant-id empty for a dry run)");
        } else if (certificate && !java.nio.file.Files.isReadable(p.getClientCertificate())) {
            errors.rejectValue("clientCertificate", "readable", "autopilot.client-certificate " + p.getClientCertificate() + " cannot be read");
        }
    }

    private static void validateVendors(AutopilotProperties p, Errors errors) {
        List<Vendor> vendors = p.vendors;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < vendors.size(); i++) {
            Vendor vendor = vendors.get(i);
            String key = "autopilot.vendors[" + i + "]";
            String field = "vendors[" + i + "]";
            Sftp sftp = vendor.getSftp();
            if (isBlank(vendor.getName())) {
                errors.rejectValue(field + ".name", "required", key + ".name is required");
            } else if (vendor.getName().equalsIgnoreCase("inbox")) {
                errors.rejectValue(field + ".name", "reserved", key + ".name 'inbox' is reserved for the drop folder");
            } else if (!names.add(vendor.getName().toLowerCase(Locale.ROOT))) {
                errors.rejectValue(field + ".name", "unique", key + ".name '" + vendor.getName() + "' is used twice");
            }
            if (isBlank(sftp.getHost())) {
                errors.rejectValue(field + ".sftp.host", "required", key + ".sftp.host is required");
            }
            if (isBlank(sftp.getUsername())) {
                errors.rejectValue(field + ".sftp.username", "required", key + ".sftp.username is required");
            }
            boolean keyFile = sftp.getPrivateKeyFile() != null;
            if (!keyFile && isBlank(sftp.getPassword())) {
                errors.rejectValue(field + ".sftp.privateKeyFile", "required",
                        key + ".sftp.private-key-file (preferred) or " + key + ".sftp.password is required");
            } else if (keyFile && !java.nio.file.Files.isReadable(p.resolve(sftp.getPrivateKeyFile()))) {
                errors.rejectValue(field + ".sftp.privateKeyFile", "readable", key + ".sftp.private-key-file "
                        + p.resolve(sftp.getPrivateKeyFile()) + " cannot be read");
            }
            if (sftp.getKnownHostsFile() == null || !java.nio.file.Files.isReadable(p.resolve(sftp.getKnownHostsFile()))) {
                errors.rejectValue(field + ".sftp.knownHostsFile", "required", key + ".sftp.known-hosts-file"
                        + (sftp.getKnownHostsFile() == null ? "" : " (" + p.resolve(sftp.getKnownHostsFile()) + ")")
                        + " must name a readable known_hosts file: host keys are always checked");
            }
            if (sftp.getPollInterval() != null && (sftp.getPollInterval().isNegative() || sftp.getPollInterval().isZero())) {
                errors.rejectValue(field + ".sftp.pollInterval", "positive", key + ".sftp.poll-interval must be positive");
            }
        }
    }

    private static void requireHttpUrl(URI url, String field, String key, Errors errors) {
        if (isSet(url) && (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
            errors.rejectValue(field, "url", key + " must be an absolute http(s) URL");
        }
    }

    /**
     * The client secret or assertion and every token travel to these URLs: https, except to this machine (a test
     * stand-in, or a local TLS-terminating relay), where nothing crosses a network.
     */
    private static void requireHttpsUrl(URI url, String field, String key, Errors errors) {
        requireHttpUrl(url, field, key, errors);
        if (isSet(url) && "http".equals(url.getScheme()) && url.getHost() != null && !isLoopback(url.getHost())) {
            errors.rejectValue(field, "https", key + " must be an https URL (http only to this machine: localhost, 127.0.0.1, [::1])");
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        return bare.equals("localhost") || bare.startsWith("127.") || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1");
    }

    /** An empty value in YAML binds as an empty URI: that means "not set". */
    private static boolean isSet(URI url) {
        return url != null && !url.toString().isEmpty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public Path getHome() { return home != null ? home : Path.of("").toAbsolutePath(); }
    public void setHome(Path home) { this.home = home; }
    public String getTenantId() { return tenantId; }
    public void setTenantId(String tenantId) { this.tenantId = tenantId; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public Path getClientCertificate() { return resolve(clientCertificate); }
    public void setClientCertificate(Path clientCertificate) { this.clientCertificate = clientCertificate; }
    public String getClientCertificatePassword() { return clientCertificatePassword; }
    public void setClientCertificatePassword(String clientCertificatePassword) { this.clientCertificatePassword = clientCertificatePassword; }
    public Cloud getCloud() { return cloud; }
    public void setCloud(Cloud cloud) { this.cloud = cloud; }
    public URI getProxyUrl() { return proxyUrl; }
    public void setProxyUrl(URI proxyUrl) { this.proxyUrl = proxyUrl; }
    public String getProxyUser() { return proxyUser; }
    public void setProxyUser(String proxyUser) { this.proxyUser = proxyUser; }
    public String getProxyPassword() { return proxyPassword; }
    public void setProxyPassword(String proxyPassword) { this.proxyPassword = proxyPassword; }
    public boolean isSync() { return sync; }
    public void setSync(boolean sync) { this.sync = sync; }
    public Retry getRetry() { return retry; }
    public GraphBudget getGraphBudget() { return graphBudget; }
    public Cluster getCluster() { return cluster; }
    public List<Vendor> getVendors() { return vendors; }
    public void setVendors(List<Vendor> vendors) { this.vendors = vendors; }
    public URI getAuthorityUrl() { return authorityUrl; }
    public void setAuthorityUrl(URI authorityUrl) { this.authorityUrl = authorityUrl; }
    public URI getGraphUrl() { return graphUrl; }
    public void setGraphUrl(URI graphUrl) { this.graphUrl = graphUrl; }
    public Path getInbox() { return resolve(inbox); }
    public void setInbox(Path inbox) { this.inbox = inbox; }
    public Path getDone() { return resolve(done); }
    public void setDone(Path done) { this.done = done; }
    public Path getDeadLetter() { return resolve(deadLetter); }
    public void setDeadLetter(Path deadLetter) { this.deadLetter = deadLetter; }
    public Path getDataDir() { return resolve(dataDir); }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public int getGraphConcurrency() { return graphConcurrency; }
    public void setGraphConcurrency(int graphConcurrency) { this.graphConcurrency = graphConcurrency; }
    public Duration getPollInterval() { return pollInterval; }
    public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
    public Duration getPollTimeout() { return pollTimeout; }
    public void setPollTimeout(Duration pollTimeout) { this.pollTimeout = pollTimeout; }
    public String getGroupTag() { return groupTag; }
    public void setGroupTag(String groupTag) { this.groupTag = groupTag; }
    public boolean isCleanup() { return cleanup; }
    public void setCleanup(boolean cleanup) { this.cleanup = cleanup; }
    public boolean isUpdateExisting() { return updateExisting; }
    public void setUpdateExisting(boolean updateExisting) { this.updateExisting = updateExisting; }
    public int getUpdateAttempts() { return updateAttempts; }
    public void setUpdateAttempts(int updateAttempts) { this.updateAttempts = updateAttempts; }
    public Duration getUpdateRetryDelay() { return updateRetryDelay; }
    public void setUpdateRetryDelay(Duration updateRetryDelay) { this.updateRetryDelay = updateRetryDelay; }
    public Boolean getDryRun() { return dryRun; }
    public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
}
