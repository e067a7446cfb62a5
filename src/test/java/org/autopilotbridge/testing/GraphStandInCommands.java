package org.autopilotbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.autopilotbridge.testing.StagedRecords.Filter;

/**
 * The command line of {@link GraphStandIn#main}: its options, and the faults it takes on standard input while it runs,
 * each for the default tenant or, as {@code tenant ID COMMAND}, for the tenant with that id:
 * {@code down SECONDS [STATUS]}, {@code throttle RETRY-AFTER-SECONDS}, {@code fail-imports COUNT STATUS},
 * {@code act-then-fail-imports COUNT STATUS}, {@code token-fail COUNT STATUS}, {@code consent on|off} (the app's admin
 * consent in the tenant: off, its token requests get AADSTS700016) and {@code profile SERIAL|others MODE...}.
 * Package-private: it only turns words into calls of the stand-in's public methods, for people running it by hand.
 */
final class GraphStandInCommands {

    private GraphStandInCommands() {
    }

    static void run(String[] args) throws InterruptedException, IOException {
        GraphStandIn graph = start(args);
        System.out.println("Graph stand-in listening; start the service with:");
        List<StandInTenant> tenants = graph.tenants();
        Map<String, StandInTenant> byName = new LinkedHashMap<>();
        tenants.forEach(t -> byName.put(t.id(), t));
        (tenants.size() == 1 ? graph.arguments() : graph.arguments(byName)).stream()
                .filter(a -> !graph.faults().budgetEnforced() || !a.contains("graph-budget")).forEach(System.out::println);
        System.out.println("Faults on standard input: 'down SECONDS [STATUS]', 'throttle RETRY-AFTER-SECONDS', "
                + "'fail-imports COUNT STATUS', 'act-then-fail-imports COUNT STATUS', 'token-fail COUNT STATUS', "
                + "'consent on|off', 'profile SERIAL|others assigned SECONDS NAME|pending NAME|failed DETAIL NAME|never'; "
                + "each for the default tenant, or for another as 'tenant ID COMMAND'");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            System.out.println(command(graph, line));
        }
        new CountDownLatch(1).await();
    }

    /**
     * The stand-in the options ask for: the tenants first ({@code tenant=ID[/no-consent]}, each served as well as the
     * default one, without the app's consent at first when so marked), then Graph's modes, which are the same in every
     * tenant ({@code budget} gives each tenant a budget of its own), except {@code registered}: the default tenant's.
     */
    static GraphStandIn start(String[] args) throws IOException {
        GraphStandIn graph = new GraphStandIn(args.length > 0 ? args[0] : "stand-in-secret");
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("tenant=")) {
                String[] tenant = args[i].substring("tenant=".length()).split("/", 2);
                if (!tenant[0].matches("[A-Za-z0-9-]+") || (tenant.length > 1 && !tenant[1].equals("no-consent"))) {
                    throw new IllegalArgumentException("a tenant is letters, digits and '-', optionally followed by "
                            + "'/no-consent': " + args[i]);
                }
                graph.addTenant(tenant[0]).tokens().consent(tenant.length == 1);
            }
        }
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            String[] option = arg.split("=", 2);
            switch (option[0]) {
                case "tenant" -> { }
                case "latency-ms" -> graph.latency(Duration.ofMillis(Long.parseLong(option[1])));
                case "registered" -> graph.devices().registerAll(Path.of(option[1]));
                default -> graph.tenants().forEach(tenant -> mode(tenant, option, arg));
            }
        }
        return graph;
    }

    private static void mode(StandInTenant tenant, String[] option, String arg) {
        switch (option[0]) {
            case "filter" -> tenant.staged().filter(Filter.valueOf(option[1].toUpperCase()));
            case "select" -> tenant.staged().honourSelect(!"ignored".equals(option[1]));
            case "top" -> tenant.staged().honourTop(!"ignored".equals(option[1]));
            case "order" -> tenant.staged().anyOrder("any".equals(option[1]));
            case "batch-order" -> tenant.batches().answerInRequestOrder("requests".equals(option[1]));
            case "unknown" -> tenant.staged().unknownFor(Integer.parseInt(option[1]));
            case "budget" -> {
                String[] limits = option[1].split("/");
                tenant.faults().enforceBudget(Integer.parseInt(limits[0]), Integer.parseInt(limits[1]),
                        !(limits.length > 2 && limits[2].equals("no-retry-after")));
            }
            default -> throw new IllegalArgumentException("unknown option " + arg);
        }
    }

    /**
     * Carries out one line of standard input and says how it went: a command for the default tenant, or, as
     * {@code tenant ID COMMAND}, for the tenant with that id. A mistyped command is said so; the stand-in runs on.
     */
    static String command(GraphStandIn graph, String line) {
        String[] word = line.strip().split("\\s+");
        try {
            boolean known = word[0].equals("tenant")
                    ? command(graph.tenants().stream().filter(t -> t.id().equalsIgnoreCase(word[1])).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("the stand-in serves no tenant " + word[1])),
                            Arrays.copyOfRange(word, 2, word.length))
                    : command(graph.defaultTenant(), word);
            return (known ? "ok: " : "unknown command: ") + line.strip();
        } catch (RuntimeException e) {
            return "not understood: " + line.strip() + " (" + e + ")";
        }
    }

    /** One command for one tenant; false if there is no such command. */
    private static boolean command(StandInTenant tenant, String[] word) {
        switch (word[0]) {
            case "down" -> tenant.faults().downFor(Duration.ofSeconds(Long.parseLong(word[1])),
                    word.length > 2 ? Integer.parseInt(word[2]) : 503);
            case "throttle" -> tenant.imports().throttleNext(1, Integer.parseInt(word[1]));
            case "fail-imports" -> tenant.imports().failNext(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
            case "act-then-fail-imports" -> tenant.imports().actThenFailNext(Integer.parseInt(word[1]),
                    Integer.parseInt(word[2]));
            case "token-fail" -> tenant.tokens().failNext(Integer.parseInt(word[1]), Integer.parseInt(word[2]));
            case "consent" -> tenant.tokens().consent(switch (word[1]) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("consent is on or off");
            });
            case "profile" -> profile(tenant, word);
            case "" -> { }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code profile SERIAL|others MODE...}: how a device's deployment profile assignment goes from now on. */
    private static void profile(StandInTenant tenant, String[] word) {
        ProfileAssignments.Mode mode = switch (word[2]) {
            case "assigned" -> ProfileAssignments.Mode.assignedAfter(Duration.ofSeconds(Long.parseLong(word[3])), word[4]);
            case "pending" -> ProfileAssignments.Mode.pending(word[3]);
            case "failed" -> ProfileAssignments.Mode.failed(word[3], word[4]);
            case "never" -> ProfileAssignments.Mode.neverAssigned();
            default -> throw new IllegalArgumentException("unknown profile mode " + word[2]);
        };
        if (word[1].equals("others")) {
            tenant.profiles().others(mode);
        } else {
            tenant.profiles().mode(word[1], mode);
        }
    }
}
