package org.autopilotbridge.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.autopilotbridge.config.FolderProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the inbox, done, dead-letter and data folders before anything opens them, and proves that each can be
 * written: a wrong path or a missing permission stops start-up with the setting's name, instead of a service that
 * reports itself healthy and fails on the first file.
 */
@Component(WorkFolders.BEAN)
public class WorkFolders {

    public static final String BEAN = "workFolders";
    private static final Logger LOG = LoggerFactory.getLogger(WorkFolders.class);

    WorkFolders(FolderProperties properties) {
        Map<String, Path> folders = properties.workFolders();
        folders.forEach(WorkFolders::prepare);
        Path config = properties.getHome().resolve("config").resolve("application.yml");
        LOG.info("Home {} (configuration: {}): inbox {}, done {}, dead-letter {}, data {}", properties.getHome(),
                Files.isRegularFile(config) ? config : "built-in defaults, no " + config,
                folders.get("autopilot.inbox"), folders.get("autopilot.done"), folders.get("autopilot.dead-letter"),
                folders.get("autopilot.data-dir"));
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
