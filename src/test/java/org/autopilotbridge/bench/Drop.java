package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import org.autopilotbridge.testing.ForkedBridge;
import org.awaitility.Awaitility;

/** A staged file moved into the inbox under {@code name}, timed until its results file is written. */
record Drop(Instant dropped, long startNanos, Duration toResults, Duration serviceCpu, Duration standInCpu,
                    Path results, ServiceRun.Timeline timeline) {

    static Drop of(ForkedBridge service, BenchService setup, Path staged, String name) throws IOException {
        Files.createDirectories(setup.folders().inbox());
        Instant dropped = Instant.now();
        long start = System.nanoTime();
        Duration serviceCpuBefore = service.cpuTime();
        long standInCpuBefore = ServiceRun.OWN_PROCESS.getProcessCpuTime();
        Files.move(staged, setup.folders().inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Path results = setup.folders().done().resolve(name + ".results.csv");
        Awaitility.await("results written").atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> ServiceRun.running(service, setup.log()) && Files.exists(results));
        Duration toResults = Duration.ofNanos(System.nanoTime() - start);
        return new Drop(dropped, start, toResults, service.cpuTime().minus(serviceCpuBefore),
                Duration.ofNanos(ServiceRun.OWN_PROCESS.getProcessCpuTime() - standInCpuBefore), results,
                ServiceRun.timeline(setup.log(), name, dropped));
    }
}
