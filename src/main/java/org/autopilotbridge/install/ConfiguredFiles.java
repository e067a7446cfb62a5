package org.autopilotbridge.install;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.VendorProperties.Sftp;
import org.autopilotbridge.config.VendorProperties;
import org.springframework.stereotype.Component;

/**
 * The files the configuration names beside the work folders (the client certificate, the vendors' keys and
 * known_hosts files), taken from {@code autopilot.home} when relative. A vendor's file that cannot be read stops
 * start-up, and {@code --check}, with its key: a vendor route could never log in with it.
 */
@Component
public class ConfiguredFiles {

    private final Path home;

    public ConfiguredFiles(FolderProperties folders, VendorProperties vendors) {
        this.home = folders.getHome();
        List<VendorProperties.Vendor> all = vendors.getVendors();
        for (int i = 0; i < all.size(); i++) {
            String key = "autopilot.vendors[" + i + "].sftp.";
            Sftp sftp = all.get(i).getSftp();
            if (sftp.getPrivateKeyFile() != null) {
                requireReadable(key + "private-key-file", resolve(sftp.getPrivateKeyFile()));
            }
            requireReadable(key + "known-hosts-file", resolve(sftp.getKnownHostsFile()));
        }
    }

    /** {@code file} as the service uses it: a relative path is taken from {@code autopilot.home}, never from elsewhere. */
    public Path resolve(Path file) {
        return file == null ? null : home.resolve(file).normalize();
    }

    private static void requireReadable(String key, Path file) {
        if (!Files.isReadable(file)) {
            throw new StartupRefusedException(key + " " + file + " cannot be read",
                    "Give the service's user read access to it (on Linux 0640, group autopilot-bridge), or set " + key + " to another file.");
        }
    }
}
