package org.autopilotbridge.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.install.WorkFolders;

/**
 * Whether each work folder can be used, without creating or writing anything: an existing folder must be writable,
 * a missing one must be creatable, that is, its nearest existing parent must be a writable folder.
 */
final class FolderCheck {

    private FolderCheck() {
    }

    static List<CheckResult> check(AutopilotProperties properties) {
        List<CheckResult> results = new ArrayList<>();
        for (Map.Entry<String, Path> folder : properties.workFolders().entrySet()) {
            results.add(check(folder.getKey(), folder.getValue()));
        }
        return results;
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
