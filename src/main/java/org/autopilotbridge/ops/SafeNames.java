package org.autopilotbridge.ops;

import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File names that come from outside (a vendor's server, the inbox, the ledger) are only ever one name inside a
 * folder of ours: a server may list any text as a name, and {@code x/../../state/ledger.mv.db} resolved against
 * done/ or Camel's work folder would land elsewhere.
 */
public final class SafeNames {

    private SafeNames() {
    }

    /** Why {@code name} is not taken as a file name from a server, or null when it is. */
    public static String refusal(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        for (String held : new String[] {"/", "\\", "..", ":"}) {
            if (name.contains(held)) {
                return "it holds \"" + held + "\", which could lead out of the folder it is written to";
            }
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "it holds a control character";
        }
        return null;
    }

    /**
     * {@code folder/name}, refused with a {@link FileSystemException} unless {@code name} is one name directly
     * inside {@code folder}: a name that climbs out, goes through a subfolder or is absolute is never written.
     */
    public static Path resolveInside(Path folder, String name) throws FileSystemException {
        Path inside = folder.toAbsolutePath().normalize();
        try {
            Path target = inside.resolve(name);
            if (!name.equals(".") && !name.equals("..") && inside.equals(target.getParent())
                    && target.getFileName().toString().equals(name)) {
                return target;
            }
        } catch (InvalidPathException e) {
            // Not a name this file system can hold at all: refused below like one that leads out.
        }
        throw new FileSystemException(shown(name), inside.toString(), "not a file name inside this folder, so nothing is written");
    }

    /** The name for a log line or a message: control characters as \\uXXXX, so a name cannot forge a line. */
    public static String shown(String name) {
        StringBuilder shown = new StringBuilder(name.length());
        name.chars().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return shown.toString();
    }
}
