package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.monitor.BridgeMonitor;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.StandInTenant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What ops see of a service serving two tenants, one of which has not consented to the app yet: the Prometheus
 * metrics and the MBean count each tenant's files and devices and say which tenant's Graph is held, and why, until
 * consent is given. The held tenant's file is recorded in the ledger as the ingest stage records one (tenant folders
 * are not read yet); the service's own stages send it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DisableJmx(false)
@DirtiesContext
class TenantsMonitoringIT {

    private static final GraphStandIn GRAPH = new GraphStandIn("tenants-secret");
    private static final StandInTenant FABRIKAM = GRAPH.addTenant("fabrikam-test");
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @LocalServerPort
    int port;

    @Autowired
    FileLedger files;

    @Autowired
    DeviceLedger devices;

    @Autowired
    TransactionTemplate transaction;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        // From start: a token obtained before consent is taken away would go on working.
        FABRIKAM.tokens().consent(false);
        Map<String, StandInTenant> tenants = new LinkedHashMap<>();
        tenants.put("contoso", GRAPH.defaultTenant());
        tenants.put("fabrikam", FABRIKAM);
        GRAPH.settings(tenants).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("autopilot.console.login", () -> "false");
        registry.add("autopilot.poll-interval", () -> "200ms");
        registry.add("autopilot.sync", () -> "false");
        registry.add("spring.jmx.enabled", () -> "true");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void showsEachTenantsFilesDevicesAndGraphAndATenantHeldUntilItsConsent() throws Exception {
        record("fabrikam", "held.csv", "FAB-1", "FAB-2");

        Awaitility.await("fabrikam's Graph held").atMost(Duration.ofSeconds(30))
                .until(() -> prometheus().contains("autopilot_graph_held{tenant=\"fabrikam\"} 1.0"));
        assertThat(prometheus()).contains("autopilot_graph_held{tenant=\"contoso\"} 0.0")
                .contains("autopilot_files{status=\"in-flight\",tenant=\"fabrikam\"} 1.0")
                .contains("autopilot_files{status=\"in-flight\",tenant=\"contoso\"} 0.0")
                .contains("autopilot_devices{outcome=\"pending\",tenant=\"fabrikam\"} 2.0")
                .contains("autopilot_devices{outcome=\"pending\",tenant=\"contoso\"} 0.0")
                .containsPattern("autopilot_tokens_total\\{tenant=\"contoso\"} [1-9]")
                .contains("autopilot_tokens_total{tenant=\"fabrikam\"} 0.0");
        String[] tenants = (String[]) JMX.getAttribute(new ObjectName(BridgeMonitor.OBJECT_NAME), "Tenants");
        assertThat(tenants).hasSize(2);
        assertThat(tenants[0]).isEqualTo("contoso (contoso-test): files 0 received, 0 finished, 0 dead-lettered, 0 in flight; "
                + "devices 0 imported, 0 pending, 0 failed; Graph working");
        assertThat(tenants[1]).startsWith("fabrikam (fabrikam-test): files 1 received, 0 finished, 0 dead-lettered, 1 in flight; "
                + "devices 0 imported, 2 pending, 0 failed; Graph held since ").contains("AADSTS700016");
        assertThat(FABRIKAM.imports().calls()).as("nothing sent while held").isEmpty();

        FABRIKAM.tokens().consent(true);

        Awaitility.await("fabrikam's devices sent once it consented").atMost(Duration.ofSeconds(90))
                .until(() -> FABRIKAM.imports().registrations("FAB-1") + FABRIKAM.imports().registrations("FAB-2") == 2);
        Awaitility.await("fabrikam's Graph working").atMost(Duration.ofSeconds(10))
                .until(() -> prometheus().contains("autopilot_graph_held{tenant=\"fabrikam\"} 0.0"));
        assertThat(GRAPH.imports().calls()).as("no fabrikam device sent to contoso").isEmpty();
    }

    /** A file of the tenant recorded in the ledger as the ingest stage records one: started, its lines, sealed. */
    private void record(String tenant, String name, String... serials) {
        Random random = new Random(31);
        long file = files.startFile(name, "inbox", "fa".repeat(32), 100, "UTF-8", false, tenant);
        List<RecordedLine> lines = new ArrayList<>();
        for (int i = 0; i < serials.length; i++) {
            lines.add(new RecordedLine(i + 2, serials[i], serials[i], HashFiles.hash(random), null, null, null, null, null, null, false));
        }
        transaction.executeWithoutResult(status -> devices.recordLines(file, lines, false, true, 25));
        files.sealFile(file, false, FOLDERS.root().resolve("processing").resolve(name).toString());
    }

    private String prometheus() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
