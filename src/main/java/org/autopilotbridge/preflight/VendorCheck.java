package org.autopilotbridge.preflight;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.VendorProperties.Sftp;
import org.autopilotbridge.config.VendorProperties.Vendor;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.install.ConfiguredFiles;
import org.autopilotbridge.ops.Incidents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Each vendor's server as the vendor routes will meet it: its host key against known_hosts, the login, and the
 * folder (listed, never entered or created). It uses JSch, the SSH library of Camel's SFTP component, with the same
 * settings, so it sees what the route sees. {@code --check} also moves (or deletes) a probe file of its own there, as
 * the route moves fetched files; the running service learns that from its own moves instead (VendorsHealth).
 * A vendor that failed is not logged in to again at every run: its last result stands for 1, 2, 4... minutes, at most
 * {@link #LAST_RETRY}, so that readiness probes never make the service log in to a failing server every few seconds
 * (a vendor may lock the account).
 */
@Component
class VendorCheck {

    static final String NAME_PREFIX = "vendor ";
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration LAST_RETRY = Duration.ofMinutes(15);
    /** Hidden, so the vendor routes never fetch it. */
    static final String PROBE = ".autopilot-bridge-check";
    private static final int TIMEOUT_MILLIS = 15_000;

    /** A vendor's last failed check, made at {@code at}: it stands until {@code next}. */
    private record Failure(CheckResult result, Instant at, Duration pause) {

        Instant next() {
            return at.plus(pause);
        }
    }

    private final VendorProperties properties;
    private final ConfiguredFiles files;
    /** The running service's Camel; none in {@code --check}, which starts no Camel. */
    private final ObjectProvider<CamelContext> camel;
    private final Clock clock;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    @Autowired
    VendorCheck(VendorProperties properties, ConfiguredFiles files, ObjectProvider<CamelContext> camel) {
        this(properties, files, camel, Clock.systemUTC());
    }

    VendorCheck(VendorProperties properties, ConfiguredFiles files, ObjectProvider<CamelContext> camel, Clock clock) {
        this.properties = properties;
        this.files = files;
        this.camel = camel;
        this.clock = clock;
    }

    List<CheckResult> check() {
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < properties.getVendors().size(); i++) {
            results.add(checkUnlessFailedLately(i, properties.getVendors().get(i)));
        }
        return results;
    }

    private CheckResult checkUnlessFailedLately(int index, Vendor vendor) {
        Failure last = failures.get(vendor.getName());
        Instant now = clock.instant();
        if (last != null && now.isBefore(last.next())) {
            CheckResult result = last.result();
            return CheckResult.fail(result.name(), result.detail() + " (as checked at " + last.at() + "; checked again after "
                    + last.next() + ")", result.fix());
        }
        CheckResult result = check(index, vendor);
        if (!result.failed()) {
            failures.remove(vendor.getName());
            return result;
        }
        Duration wait = last == null ? FIRST_RETRY : min(last.pause().multipliedBy(2), LAST_RETRY);
        failures.put(vendor.getName(), new Failure(result, now, wait));
        return result;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private CheckResult check(int index, Vendor vendor) {
        String name = NAME_PREFIX + vendor.getName();
        String key = "autopilot.vendors[" + index + "].sftp.";
        Sftp sftp = vendor.getSftp();
        String server = sftp.getHost() + ":" + sftp.getPort();
        Path knownHosts = files.resolve(sftp.getKnownHostsFile());
        Session session = null;
        try {
            session = session(sftp, knownHosts);
            session.connect(TIMEOUT_MILLIS);
        } catch (JSchChangedHostKeyException e) {
            return CheckResult.fail(name, "the host key of " + server + " differs from the one in " + knownHosts
                    + ": the vendor changed it, or this is not the vendor's server; nothing is fetched from it",
                    "ask the vendor whether they changed the key and for its fingerprint, compare it with `ssh-keyscan -p "
                            + sftp.getPort() + " " + sftp.getHost() + " | ssh-keygen -lf -`, then replace the line for "
                            + sftp.getHost() + " in " + knownHosts);
        } catch (JSchUnknownHostKeyException e) {
            return CheckResult.fail(name, knownHosts + " holds no key for " + server,
                    "run `ssh-keyscan -p " + sftp.getPort() + " " + sftp.getHost() + " >> " + knownHosts
                            + "` from a network you trust and compare the fingerprint with the vendor's");
        } catch (JSchException e) {
            disconnect(session);
            if (String.valueOf(e.getMessage()).startsWith("Auth")) {
                return CheckResult.fail(name, server + " refused the login of " + sftp.getUsername() + " ("
                        + (sftp.getPrivateKeyFile() != null ? "key " + files.resolve(sftp.getPrivateKeyFile()) : "password") + ")",
                        "check " + key + "username and the credential; for a key, the vendor must hold its public part");
            }
            return CheckResult.fail(name, "cannot connect to " + server + ": " + Incidents.describe(e),
                    "check " + key + "host and " + key + "port, this server's firewall, and that the vendor's server is up");
        }
        try {
            return folder(name, key, sftp, server, (ChannelSftp) session.openChannel("sftp"));
        } catch (JSchException e) {
            return CheckResult.fail(name, server + " refused an SFTP session: " + Incidents.describe(e),
                    "ask the vendor to enable SFTP for " + sftp.getUsername());
        } finally {
            disconnect(session);
        }
    }

    private CheckResult folder(String name, String key, Sftp sftp, String server, ChannelSftp channel) throws JSchException {
        channel.connect(TIMEOUT_MILLIS);
        String login = null;
        String folder = sftp.getDirectory() == null || sftp.getDirectory().isBlank() ? "." : sftp.getDirectory();
        try {
            login = channel.pwd();
            long files = channel.ls(folder).stream().filter(e -> !e.getAttrs().isDir() && !e.getFilename().startsWith(".")).count();
            String listed = "host key matches, " + sftp.getUsername() + " logs in (login folder " + login + "), folder "
                    + folder + " lists " + files + " file(s)";
            if (camel.getIfAvailable() != null) {
                return CheckResult.ok(name, listed);
            }
            String refused = probe(channel, folder + "/" + PROBE, sftp.isDelete());
            if (refused != null) {
                return CheckResult.fail(name, "folder " + folder + " on " + server + ": " + sftp.getUsername() + " "
                        + refused + ", so every fetched file would stay there (taken in once, and the vendor DEGRADED)",
                        "ask the vendor to let " + sftp.getUsername() + " create, rename and delete files in " + folder
                                + (sftp.isDelete() ? "" : " and its .done and .failed folders"));
            }
            return CheckResult.ok(name, listed + ", and a file there can be " + (sftp.isDelete() ? "deleted" : "moved"));
        } catch (SftpException e) {
            String where = "folder " + folder + " on " + server + " (login folder " + login + ")";
            if (e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
                return CheckResult.fail(name, where + " cannot be listed by " + sftp.getUsername() + ": permission denied",
                        "ask the vendor to let " + sftp.getUsername() + " read the folder and move files within it (into .done)");
            }
            return CheckResult.fail(name, where + " cannot be listed: " + e.getMessage(),
                    "ask the vendor for the folder and set " + key + "directory to it: absolute as they give it, or relative to the login folder");
        } finally {
            channel.disconnect();
        }
    }

    /**
     * Creates the probe file, then moves it (as fetched files are moved) or deletes it, and leaves nothing behind;
     * returns what was refused, or null.
     */
    private static String probe(ChannelSftp channel, String probe, boolean delete) {
        String step = "cannot create a file";
        String left = null;
        try {
            channel.put(new ByteArrayInputStream(new byte[0]), probe);
            left = probe;
            if (!delete) {
                step = "cannot move a file";
                channel.rename(probe, probe + ".moved");
                left = probe + ".moved";
            }
            step = "cannot delete a file";
            channel.rm(left);
            return null;
        } catch (SftpException e) {
            removeQuietly(channel, left);
            return step + " (" + PROBE + ": " + (e.id == ChannelSftp.SSH_FX_PERMISSION_DENIED ? "permission denied" : e.getMessage()) + ")";
        }
    }

    private static void removeQuietly(ChannelSftp channel, String file) {
        try {
            if (file != null) {
                channel.rm(file);
            }
        } catch (SftpException e) {
            // The probe could not be removed either: the failure reported says why.
        }
    }

    private Session session(Sftp sftp, Path knownHosts) throws JSchException {
        JSch jsch = new JSch();
        jsch.setKnownHosts(knownHosts.toString());
        if (sftp.getPrivateKeyFile() != null) {
            jsch.addIdentity(files.resolve(sftp.getPrivateKeyFile()).toString(), sftp.getPrivateKeyPassphrase());
        }
        Session session = jsch.getSession(sftp.getUsername(), sftp.getHost(), sftp.getPort());
        if (sftp.getPrivateKeyFile() == null) {
            session.setPassword(sftp.getPassword());
        }
        session.setConfig("StrictHostKeyChecking", "yes");
        return session;
    }

    private static void disconnect(Session session) {
        if (session != null) {
            session.disconnect();
        }
    }
}
