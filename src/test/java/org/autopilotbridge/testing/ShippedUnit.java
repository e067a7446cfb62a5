package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped systemd unit (src/dist/systemd), so that tests and the benchmark start the JVM as it does. */
public final class ShippedUnit {

    public static final Path UNIT = Path.of("src/dist/systemd/autopilot-bridge.service");

    private ShippedUnit() {
    }

    /** The JVM options of the unit's ExecStart (between java and -jar), its -Xmx replaced by {@code heap}. */
    public static List<String> jvmOptions(String heap) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        List<String> words = List.of(execStart().substring("ExecStart=".length()).split("\\s+"));
        words.subList(1, words.indexOf("-jar")).stream().filter(word -> !word.startsWith("-Xmx")).forEach(options::add);
        return options;
    }

    private static String execStart() {
        try {
            return Files.readAllLines(UNIT).stream().filter(line -> line.startsWith("ExecStart=")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no ExecStart in " + UNIT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
