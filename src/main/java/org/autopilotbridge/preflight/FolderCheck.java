package org.autopilotbridge.preflight;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.install.WorkFolders;
import org.autopilotbridge.tenant.Tenants;

/**
 * Whether each work folder (each tenant's too) can be used, without creating or writing anything: an existing folder must be writable,
 * a missing one must be creatable, that is, its nearest existing parent must be a writable folder.
 */
final class FolderCheck {

    private FolderCheck() {
    }

    static List<CheckResult> check(FolderProperties properties, Tenants tenants) {
        List<CheckResult> results = new ArrayList<>();
        Optional<FileStore> data = fileStore(properties.getDataDir());
        for (Map.Entry<String, Path> folder : WorkFolders.all(properties, tenants).entrySet()) {
            CheckResult result = check(folder.getKey(), folder.getValue());
            Optional<FileStore> store = fileStore(folder.getValue());
            if (result.status() == CheckResult.Status.OK && data.isPresent() && store.isPresent()
                    && !store.get().equals(data.get())) {
                // Said because a move there is a copy: slower for large files, and it needs room on both sides.
                result = CheckResult.ok(folder.getKey(), result.detail() + "; it is on another file system than "
                        + "autopilot.data-dir (" + store.get() + "), so files are copied between them, not renamed");
            }
            results.add(result);
        }
        return results;
    }

    /** The file system a folder is on, or will be on once created (its nearest existing parent's). */
    private static Optional<FileStore> fileStore(Path folder) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                try {
                    return Optional.of(Files.getFileStore(p));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static CheckResult check(String key, Path folder) {
        String fix = WorkFolders.fix(key);
        if (Files.exists(folder)) {
            if (!Files.isDirectory(folder)) {
                return CheckResult.fail(key, folder + " is a file, not a folder", fix);
            }
            return Files.isWritable(folder) ? CheckResult.ok(key, folder + " is writable")
                    : CheckResult.fail(key, folder + " cannot be written by this user", fix);
        }
        Path parent = folder.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return CheckResult.fail(key, folder + " cannot be created: " + parent + " is a file, not a folder", fix);
        }
        if (!Files.isWritable(parent)) {
            return CheckResult.fail(key, folder + " cannot be created: " + parent + " cannot be written by this user", fix);
        }
        return CheckResult.ok(key, folder + " does not exist yet and will be created at start (" + parent + " is writable)");
    }
}
