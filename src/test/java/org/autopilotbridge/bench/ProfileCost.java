package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ProfileAssignments.Mode;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.ShippedUnit;

/**
 * What following deployment profiles costs Graph (autopilot.profile-wait): the packaged service imports a file and
 * follows each device, a third assigned a few seconds after its first read, a third failed at once and a third never
 * assigned (each such device is read until the wait ends, the costliest case). The figure is the Graph requests of
 * the profile reads (each request inside a $batch, and the $batch calls themselves) per 1,000 followed devices.
 * Waits are scaled down to seconds; reads follow the same schedule as with the defaults (poll-interval, doubling).
 */
final class ProfileCost {

    /** The wait of the run, and the poll-interval its reads start from. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofSeconds(1);

    record Figures(int devices, int reads, int batchCalls, Duration toResults) {
        double requestsPerThousand() {
            return (reads + batchCalls) * 1000.0 / devices;
        }
    }

    private ProfileCost() {
    }

    static Figures run(Benchmark.Options options, Path file, int devices) throws IOException, InterruptedException {
        try (GraphStandIn graph = Benchmark.standIn(options, "bench-" + UUID.randomUUID())) {
            for (int i = 1; i <= devices; i++) {
                String serial = String.format("PP%08d", i);
                graph.profiles().mode(serial, switch (i % 3) {
                    case 0 -> Mode.assignedAfter(Duration.ofSeconds(3), "Contoso user-driven");
                    case 1 -> Mode.failed("hardwareRequirementsNotMet", "Contoso self-deploying");
                    default -> Mode.neverAssigned();
                });
            }
            Path root = options.work().resolve("profiles-" + devices);
            Benchmark.deleteTree(root);
            ServiceFolders folders = new ServiceFolders(Files.createDirectories(root));
            List<String> arguments = new ArrayList<>(folders.arguments());
            arguments.addAll(graph.arguments());
            arguments.addAll(List.of("--autopilot.poll-interval=" + POLL.toSeconds() + "s",
                    "--autopilot.profile-wait=" + WAIT.toSeconds() + "s", "--autopilot.sync=false"));
            try (ForkedBridge service = ForkedBridge.startJar(options.jar(), ShippedUnit.jvmOptions(options.heap()),
                    folders.root().resolve("service.log"), arguments)) {
                long start = System.nanoTime();
                HashFiles.drop(folders.inbox(), "profiles.csv", Files.readAllBytes(file));
                ServiceFolders.await(folders.done(), "profiles.csv.results.csv", Duration.ofMinutes(10));
                Duration toResults = Duration.ofNanos(System.nanoTime() - start);
                int batchCalls = (int) graph.received().stream().filter(r -> r.path().equals("/beta/$batch")).count();
                return new Figures(devices, graph.profiles().reads(), batchCalls, toResults);
            }
        }
    }
}
