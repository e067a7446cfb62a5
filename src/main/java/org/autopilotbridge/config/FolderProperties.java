package org.autopilotbridge.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the service lives and works ({@code autopilot.home} and the four work folders). The service binds the
 * folders already resolved against the home (install/AutopilotHome), so each getter returns the folder in use.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot")
public class FolderProperties {

    /**
     * The base of every relative path, and the folder whose config/ and routes/ are read; only from the command line,
     * a system property or AUTOPILOT_HOME, never a configuration file (empty: the working directory).
     */
    private Path home = Path.of("").toAbsolutePath();

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

    /** The folders the service writes to, by their keys: each must exist, or be creatable, and be writable. */
    public Map<String, Path> workFolders() {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("autopilot.inbox", inbox);
        folders.put("autopilot.done", done);
        folders.put("autopilot.dead-letter", deadLetter);
        folders.put("autopilot.data-dir", dataDir);
        return folders;
    }

    public Path getHome() { return home; }
    public void setHome(Path home) { this.home = home; }
    public Path getInbox() { return inbox; }
    public void setInbox(Path inbox) { this.inbox = inbox; }
    public Path getDone() { return done; }
    public void setDone(Path done) { this.done = done; }
    public Path getDeadLetter() { return deadLetter; }
    public void setDeadLetter(Path deadLetter) { this.deadLetter = deadLetter; }
    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
}
