package org.autopilotbridge.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the inbox, done, dead-letter and data folders (and each tenant's, with several tenants) before anything
 * opens them, and proves that each can be written: a wrong path or a missing permission stops start-up with the
 * setting's name, instead of a service that reports itself healthy and fails on the first file.
 */
@Component(WorkFolders.BEAN)
public class WorkFolders {

    public static final String BEAN = "workFolders";
    private static final Logger LOG = LoggerFactory.getLogger(WorkFolders.class);

    WorkFolders(FolderProperties properties, Tenants tenants) {
        Map<String, Path> folders = all(properties, tenants);
        refuseSharedInboxes(properties, tenants);
        folders.forEach(WorkFolders::prepare);
        Path config = properties.getHome().resolve("config").resolve("application.yml");
        LOG.info("Home {} (configuration: {}): inbox {}, done {}, dead-letter {}, data {}", properties.getHome(),
                Files.isRegularFile(config) ? config : "built-in defaults, no " + config,
                folders.get("autopilot.inbox"), folders.get("autopilot.done"), folders.get("autopilot.dead-letter"),
                folders.get("autopilot.data-dir"));
        if (tenants.several()) {
            for (Tenant t : tenants.all()) {
                LOG.info("Tenant {}: inbox {}, done {}, dead-letter {}", t.describe(), t.folders().inbox(), t.folders().done(),
                        t.folders().deadLetter());
            }
        }
    }

    /** The folders the service writes to, by their keys: the top-level ones, and with several tenants each tenant's. */
    public static Map<String, Path> all(FolderProperties properties, Tenants tenants) {
        Map<String, Path> folders = new LinkedHashMap<>(properties.workFolders());
        if (tenants.several()) {
            for (Tenant t : tenants.all()) {
                String key = "autopilot.tenants." + t.name() + ".";
                folders.put(key + "inbox", t.folders().inbox());
                folders.put(key + "done", t.folders().done());
                folders.put(key + "dead-letter", t.folders().deadLetter());
            }
        }
        return folders;
    }

    /**
     * Each tenant's inbox is its own: one read by two routes would import a file into whichever took it first, and
     * the top-level inbox is where files for no tenant are refused.
     */
    private static void refuseSharedInboxes(FolderProperties properties, Tenants tenants) {
        if (!tenants.several()) {
            return;
        }
        Map<Path, String> readBy = new HashMap<>(Map.of(properties.getInbox().toAbsolutePath().normalize(), "autopilot.inbox"));
        for (Tenant t : tenants.all()) {
            String key = "autopilot.tenants." + t.name() + ".inbox";
            String other = readBy.putIfAbsent(t.folders().inbox().toAbsolutePath().normalize(), key);
            if (other != null) {
                throw new StartupRefusedException(key + " (" + t.folders().inbox() + ") is the same folder as " + other,
                        "Give each tenant an inbox of its own, apart from autopilot.inbox (leave " + key + " empty for "
                                + "a folder named after the tenant in autopilot.inbox).");
            }
        }
    }

    private static void prepare(String key, Path folder) {
        try {
            Files.createDirectories(folder);
            // A hidden .tmp name: the inbox route skips it even if it were running already.
            Files.delete(Files.createTempFile(folder, ".write-test-", ".tmp"));
        } catch (IOException e) {
            throw new StartupRefusedException(key + " (" + folder + ") cannot be created or written: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), fix(key));
        }
    }

    /** What an admin does about a folder that cannot be used. */
    public static String fix(String key) {
        return "Create the folder and give the service's user write access to it (under systemd, also list it in "
                + "ReadWritePaths), or set " + key + " to another folder.";
    }
}
