package org.autopilotbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.autopilotbridge.testing.StagedRecords.Filter;

/**
 * The command line of {@link GraphStandIn#main}: its options, and the faults it takes on standard input while it runs.
 * Package-private: it only turns words into calls of the stand-in's public methods, for people running it by hand.
 */
final class GraphStandInCommands {

    private GraphStandInCommands() {
    }

    static void run(String[] args) throws InterruptedException, IOException {
        GraphStandIn graph = new GraphStandIn(args.length > 0 ? args[0] : "stand-in-secret");
        for (int i = 1; i < args.length; i++) {
            String[] option = args[i].split("=", 2);
            switch (option[0]) {
                case "filter" -> graph.staged().filter(Filter.valueOf(option[1].toUpperCase()));
                case "select" -> graph.staged().honourSelect(!"ignored".equals(option[1]));
                case "top" -> graph.staged().honourTop(!"ignored".equals(option[1]));
                case "order" -> graph.staged().anyOrder("any".equals(option[1]));
                case "batch-order" -> graph.batches().answerInRequestOrder("requests".equals(option[1]));
                case "unknown" -> graph.staged().unknownFor(Integer.parseInt(option[1]));
                case "latency-ms" -> graph.latency(Duration.ofMillis(Long.parseLong(option[1])));
                case "registered" -> graph.devices().registerAll(Path.of(option[1]));
                case "budget" -> {
                    String[] limits = option[1].split("/");
                    graph.faults().enforceBudget(Integer.parseInt(limits[0]), Integer.parseInt(limits[1]),
                            !(limits.length > 2 && limits[2].equals("no-retry-after")));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("Graph stand-in listening; start the service with:");
        graph.arguments().stream().filter(a -> !graph.faults().budgetEnforced() || !a.contains("graph-budget"))
                .forEach(System.out::println);
        System.out.println("Faults on standard input: 'down SECONDS [STATUS]', 'throttle RETRY-AFTER-SECONDS', "
                + "'fail-imports COUNT STATUS', 'act-then-fail-imports COUNT STATUS', 'token-fail COUNT STATUS', "
                + "'profile SERIAL|others assigned SECONDS NAME|pending NAME|failed DETAIL NAME|never'");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] word = line.strip().split("\\s+");
            try {
                switch (word[0]) {
                    case "down" -> graph.faults().downFor(Duration.ofSeconds(Long.parseLong(word[1])),
                            word.length > 2 ? Integer.parseInt(word[2]) : 503);
                    case "throttle" -> graph.imports().throttleNext(1, Integer.parseInt(word[1]));
                    case "fail-imports" -> graph.imports().failNext(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
                    case "act-then-fail-imports" -> graph.imports().actThenFailNext(Integer.parseInt(word[1]),
                            Integer.parseInt(word[2]));
                    case "token-fail" -> graph.tokens().failNext(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
                    case "profile" -> profile(graph, word);
                    case "" -> { }
                    default -> System.out.println("unknown command: " + line);
                }
            } catch (RuntimeException e) {
                // A mistyped command is said so; the stand-in runs on.
                System.out.println("not understood: " + line.strip() + " (" + e + ")");
                continue;
            }
            System.out.println("ok: " + line.strip());
        }
        new CountDownLatch(1).await();
    }

    /** {@code profile SERIAL|others MODE...}: how a device's deployment profile assignment goes from now on. */
    private static void profile(GraphStandIn graph, String[] word) {
        ProfileAssignments.Mode mode = switch (word[2]) {
            case "assigned" -> ProfileAssignments.Mode.assignedAfter(Duration.ofSeconds(Long.parseLong(word[3])), word[4]);
            case "pending" -> ProfileAssignments.Mode.pending(word[3]);
            case "failed" -> ProfileAssignments.Mode.failed(word[3], word[4]);
            case "never" -> ProfileAssignments.Mode.neverAssigned();
            default -> throw new IllegalArgumentException("unknown profile mode " + word[2]);
        };
        if (word[1].equals("others")) {
            graph.profiles().others(mode);
        } else {
            graph.profiles().mode(word[1], mode);
        }
    }
}
