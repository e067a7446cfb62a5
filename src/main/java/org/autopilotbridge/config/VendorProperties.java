package org.autopilotbridge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 * The OEMs and resellers whose SFTP servers are polled ({@code autopilot.vendors[N].*}). Whether their key and
 * known_hosts files can be read is checked where they are used (install/ConfiguredFiles), not here.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class VendorProperties implements Validator {

    /** OEMs and resellers whose SFTP servers are polled for hash files; none by default. */
    @Valid
    private List<Vendor> vendors = new ArrayList<>();

    /** One vendor's SFTP drop. */
    public static class Vendor {

        /** Names the vendor's route ({@code sftp-<name>}) and its folder in done and dead-letter. */
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", message = "autopilot.vendors[].name must be 1 to 64 letters, digits, '.', '_' or '-'")
        private String name;

        /** Group tag for this vendor's devices whose line has none (empty: autopilot.group-tag). */
        @Size(max = DeviceLimits.GROUP_TAG_MAX, message = "autopilot.vendors[].group-tag must be at most {max} characters")
        private String groupTag;

        /**
         * The tenant of autopilot.tenants this vendor's files are for: required once tenants are configured, and
         * refused without them (a single-tenant service has only its one tenant).
         */
        private String tenant;

        @Valid
        private final Sftp sftp = new Sftp();

        public String getName() { return name; }
        public String getTenant() { return tenant; }
        public void setTenant(String tenant) { this.tenant = tenant; }
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

    @Override
    public boolean supports(Class<?> type) {
        return VendorProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        List<Vendor> all = ((VendorProperties) target).vendors;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Vendor vendor = all.get(i);
            String key = "autopilot.vendors[" + i + "]";
            String field = "vendors[" + i + "]";
            Sftp sftp = vendor.getSftp();
            if (Values.isBlank(vendor.getName())) {
                errors.rejectValue(field + ".name", "required", key + ".name is required");
            } else if (vendor.getName().equalsIgnoreCase("inbox")) {
                errors.rejectValue(field + ".name", "reserved", key + ".name 'inbox' is reserved for the drop folder");
            } else if (!names.add(vendor.getName().toLowerCase(Locale.ROOT))) {
                errors.rejectValue(field + ".name", "unique", key + ".name '" + vendor.getName() + "' is used twice");
            }
            if (Values.isBlank(sftp.getHost())) {
                errors.rejectValue(field + ".sftp.host", "required", key + ".sftp.host is required");
            }
            if (Values.isBlank(sftp.getUsername())) {
                errors.rejectValue(field + ".sftp.username", "required", key + ".sftp.username is required");
            }
            if (sftp.getPrivateKeyFile() == null && Values.isBlank(sftp.getPassword())) {
                errors.rejectValue(field + ".sftp.privateKeyFile", "required",
                        key + ".sftp.private-key-file (preferred) or " + key + ".sftp.password is required");
            }
            if (sftp.getKnownHostsFile() == null) {
                errors.rejectValue(field + ".sftp.knownHostsFile", "required",
                        key + ".sftp.known-hosts-file must name a readable known_hosts file: host keys are always checked");
            }
            if (sftp.getPollInterval() != null && (sftp.getPollInterval().isNegative() || sftp.getPollInterval().isZero())) {
                errors.rejectValue(field + ".sftp.pollInterval", "positive", key + ".sftp.poll-interval must be positive");
            }
        }
    }

    public List<Vendor> getVendors() { return vendors; }
    public void setVendors(List<Vendor> vendors) { this.vendors = vendors; }
}
