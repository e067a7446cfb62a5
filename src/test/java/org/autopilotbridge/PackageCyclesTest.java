package org.autopilotbridge;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's packages depend on each other without a cycle, as jdeps reads the compiled classes: a package never
 * needs, however indirectly, a package that needs it, so each can be read knowing what it rests on.
 */
class PackageCyclesTest {

    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(org\\.autopilotbridge[\\w.]*)\\s+->\\s+(org\\.autopilotbridge[\\w.]*)\\s",
            Pattern.MULTILINE);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws URISyntaxException {
        Map<String, Set<String>> uses = dependencies();

        assertThat(uses).as("what jdeps read of target/classes").containsKeys("org.autopilotbridge.ledger",
                "org.autopilotbridge.cluster", "org.autopilotbridge.ingest");
        assertThat(cycles(uses)).as("packages that need each other (jdeps -verbose:package -filter:none target/classes)")
                .isEmpty();
    }

    /** Each package of the service with the other packages of the service its classes use. */
    private static Map<String, Set<String>> dependencies() throws URISyntaxException {
        Path classes = Path.of(AutopilotBridgeApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        StringWriter out = new StringWriter();
        // -filter:none: by default jdeps leaves out what one folder of classes uses of itself, which is all of it here.
        int exit = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", classes.toString());
        assertThat(exit).as(out.toString()).isZero();
        Map<String, Set<String>> uses = new TreeMap<>();
        Matcher dependency = DEPENDENCY.matcher(out.toString());
        while (dependency.find()) {
            Set<String> used = uses.computeIfAbsent(dependency.group(1), p -> new TreeSet<>());
            if (!dependency.group(1).equals(dependency.group(2))) {
                used.add(dependency.group(2));
            }
        }
        return uses;
    }

    /** Each way a package comes back to itself, as "a -> b -> a", the shortest from each package that has one. */
    private static Set<String> cycles(Map<String, Set<String>> uses) {
        Set<String> cycles = new TreeSet<>();
        for (String start : uses.keySet()) {
            Map<String, String> reachedFrom = new HashMap<>();
            Deque<String> next = new ArrayDeque<>(List.of(start));
            while (!next.isEmpty()) {
                String from = next.poll();
                for (String to : uses.getOrDefault(from, Set.of())) {
                    if (to.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String step = from; !step.equals(start); step = reachedFrom.get(step)) {
                            path.add(1, step);
                        }
                        path.add(start);
                        cycles.add(String.join(" -> ", path));
                        next.clear();
                        break;
                    }
                    if (reachedFrom.putIfAbsent(to, from) == null) {
                        next.add(to);
                    }
                }
            }
        }
        return cycles;
    }
}
