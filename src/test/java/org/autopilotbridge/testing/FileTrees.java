package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What folders hold, for tests that check what the service created, moved or left alone. */
public final class FileTrees {

    private FileTrees() {
    }

    /** The names in a folder, hidden ones too, sorted; none if the folder does not exist. */
    public static List<String> names(Path folder) {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files under {@code root} whose bytes hold {@code bytes} anywhere. */
    public static List<Path> filesHolding(Path root, byte[] bytes) throws IOException {
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), bytes) >= 0) {
                    holding.add(file);
                }
            }
        }
        return holding;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Every file and folder under {@code root} with its size and modification time, except under {@code except}. */
    public static Map<Path, String> snapshot(Path root, Path except) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.filter(p -> !p.startsWith(except)).toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                files.put(path, attributes.size() + " " + attributes.lastModifiedTime());
            }
        }
        return files;
    }
}
