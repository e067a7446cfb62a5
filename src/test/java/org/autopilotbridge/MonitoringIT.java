package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.autopilotbridge.monitor.BridgeMonitor;
import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What ops see over JMX, read through the platform MBean server as JConsole or a JMX exporter would. Batches are
 * followed only every hour and no sync is requested by itself, so that what the levers do shows apart from the
 * automatic work.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DisableJmx(false)
@DirtiesContext
class MonitoringIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("monitoring-secret");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        // One look at the batch settles it: one press of the lever finishes the file.
        GRAPH.staged().settleAtOnce();
        registry.add("autopilot.poll-interval", () -> "1h");
        registry.add("autopilot.poll-timeout", () -> "2h");
        registry.add("autopilot.sync", () -> "false");
        registry.add("spring.jmx.enabled", () -> "true");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void countsFilesDevicesAndGraphTrafficAndOffersItsLevers() throws Exception {
        ObjectName service = new ObjectName(BridgeMonitor.OBJECT_NAME);
        Random random = new Random(23);
        HashFiles.drop(FOLDERS.inbox(), "watched.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                "MON-1," + HashFiles.hash(random), "MON-2," + HashFiles.hash(random), "MON-R806-3," + HashFiles.hash(random)),
                "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        // The batch is sent and would next be followed in an hour: the lever has it followed now.
        Awaitility.await("the batch sent").atMost(Duration.ofSeconds(30))
                .until(() -> (Integer) JMX.invoke(service, "recheckPendingNow", new Object[0], new String[0]) == 1);
        ServiceFolders.await(FOLDERS.done(), "watched.csv.results.csv", Duration.ofSeconds(30));
        HashFiles.drop(FOLDERS.inbox(), "watched-bad.csv", "Name\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
        ServiceFolders.await(FOLDERS.deadLetter(), "watched-bad.csv.error.txt", Duration.ofSeconds(30));
        // The refusal is recorded in the ledger just after its reason is written to dead-letter.
        Awaitility.await("the refusal recorded").atMost(Duration.ofSeconds(10))
                .until(() -> (Long) JMX.getAttribute(service, "FilesDeadLettered") >= 1);

        assertThat((Long) JMX.getAttribute(service, "FilesReceived")).isGreaterThanOrEqualTo(2);
        assertThat((Long) JMX.getAttribute(service, "FilesFinished")).isGreaterThanOrEqualTo(1);
        assertThat((Long) JMX.getAttribute(service, "FilesDeadLettered")).isGreaterThanOrEqualTo(1);
        assertThat((Long) JMX.getAttribute(service, "DevicesImported")).isGreaterThanOrEqualTo(2);
        assertThat((Long) JMX.getAttribute(service, "DevicesAlreadyRegistered")).isGreaterThanOrEqualTo(1);
        assertThat((Long) JMX.getAttribute(service, "DevicesPending")).isZero();
        assertThat((Long) JMX.getAttribute(service, "GraphCalls")).isGreaterThanOrEqualTo(3);
        assertThat((Long) JMX.getAttribute(service, "TokenRefreshes")).isEqualTo(1);
        assertThat((String) JMX.getAttribute(service, "LastError")).contains("watched-bad.csv").contains("no recognisable header");
        assertThat((String[]) JMX.getAttribute(service, "FilesInFlight")).isEmpty();
        assertThat((String[]) JMX.getAttribute(service, "Tenants")).singleElement().asString()
                .startsWith("default (" + GraphStandIn.TENANT + "): files ").contains(" 0 in flight; devices ").endsWith("; Graph working");
        assertThat((Integer) JMX.invoke(service, "recheckPendingNow", new Object[0], new String[0])).as("nothing left to follow").isZero();
        assertThat(GRAPH.faults().syncCalls()).as("no sync requested by itself").isEmpty();
        assertThat((String) JMX.invoke(service, "syncNow", new Object[0], new String[0])).isEqualTo("sync requested");
        assertThat(GRAPH.faults().syncCalls()).extracting(GraphStandIn.ImportCall::status).containsExactly(204);

        for (String route : List.of("inbox", "ingest", "submit", "track", "finish", "sync")) {
            assertThat(JMX.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + route + "\",*"), null))
                    .as("Camel route MBean " + route).hasSize(1);
        }
    }

    @Test
    void logsAsJsonWhenOneSettingSaysSo() throws Exception {
        Path log = FOLDERS.root().resolve("json.log");
        List<String> arguments = new ArrayList<>(FOLDERS.arguments());
        arguments.addAll(List.of("--logging.structured.format.console=ecs", "--autopilot.batch-size=0"));
        try (ForkedBridge service = ForkedBridge.start(null, log, arguments)) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as("refused to start").isNotZero();
        }

        assertThat(Files.readAllLines(log)).filteredOn(line -> line.startsWith("{"))
                .anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"").contains("autopilot.batch-size"))
                .allSatisfy(line -> assertThat(line).endsWith("}"));
    }
}
