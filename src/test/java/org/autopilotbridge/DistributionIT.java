package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.ForkedBridge;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.ShippedUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The archive as an admin gets it from {@code mvn -B package}: what it holds, and the service unpacked from it,
 * started with {@code java -jar} from an unrelated working directory against the Graph stand-in, importing a
 * dropped file. Runs after package (failsafe), so the archive exists.
 */
class DistributionIT {

    private static final Path ZIP = Path.of(System.getProperty("distribution.zip", "target/missing.zip"));
    private static final Path TAR = Path.of(System.getProperty("distribution.tar", "target/missing.tar.gz"));
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String FOLDER = ZIP.getFileName().toString().replace(".zip", "");
    /** What every service definition must start the JVM with: a JVM out of heap exits, to be restarted. */
    private static final String JVM_OPTIONS = "-Xmx512m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xms32m "
            + "-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=50 -XX:NewRatio=1 -XX:SurvivorRatio=2 -Djdk.nio.maxCachedBufferSize=262144";

    private final Path work = ServiceFolders.create().root();
    private final GraphStandIn graph = new GraphStandIn("distribution-secret");

    @AfterEach
    void stopGraph() {
        graph.close();
    }

    @Test
    void holdsTheJarItsConfigurationItsRoutesAndBothServiceDefinitions() throws Exception {
        List<String> routes;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            routes = files.map(f -> FOLDER + "/routes/" + f.getFileName()).toList();
        }
        List<String> zip = zipEntries();

        assertThat(zip).contains(FOLDER + "/autopilot-bridge.jar", FOLDER + "/config/application.yml", FOLDER + "/README.md",
                FOLDER + "/docs/installing.md", FOLDER + "/docs/hawtio-camel-routes.png",
                FOLDER + "/service/systemd/autopilot-bridge.service", FOLDER + "/service/systemd/autopilot-bridge.env",
                FOLDER + "/service/windows/autopilot-bridge.xml").containsAll(routes);
        assertThat(tarEntries()).as("the .tar.gz holds the same files").containsExactlyInAnyOrderElementsOf(zip);
        Path installed = unpack();
        assertThat(installed.resolve("config/application.yml")).hasSameTextualContentAs(Path.of("config/application.yml"));
        String unit = Files.readString(installed.resolve("service/systemd/autopilot-bridge.service"));
        assertThat(unit).contains("User=autopilot-bridge", "ProtectSystem=strict", "ReadWritePaths=/opt/autopilot-bridge/data",
                "Restart=on-failure", "EnvironmentFile=/etc/autopilot-bridge/autopilot-bridge.env",
                "Environment=MALLOC_ARENA_MAX=2", "Environment=AUTOPILOT_HOME=/opt/autopilot-bridge",
                "ExecStart=/usr/bin/java " + JVM_OPTIONS + " -jar /opt/autopilot-bridge/autopilot-bridge.jar");
        Document winsw = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(installed.resolve("service/windows/autopilot-bridge.xml").toFile());
        assertThat(winsw.getElementsByTagName("arguments").item(0).getTextContent()).as("the unit's JVM options")
                .isEqualTo(JVM_OPTIONS + " -jar \"%BASE%\\autopilot-bridge.jar\"");
        assertThat(winsw.getElementsByTagName("onfailure").item(0).getAttributes().getNamedItem("action").getNodeValue()).isEqualTo("restart");
        // WinSW 2.12.0's syntax, which docs/installing.md pins: it ignores WinSW 3's <username> and installs as LocalSystem.
        XPath xml = XPathFactory.newInstance().newXPath();
        assertThat(xml.evaluate("/service/serviceaccount/domain", winsw)).isEqualTo("NT AUTHORITY");
        assertThat(xml.evaluate("/service/serviceaccount/user", winsw)).isEqualTo("LocalService");
        assertThat(xml.evaluate("count(//username)", winsw)).isEqualTo("0");
        assertThat(xml.evaluate("/service/logpath", winsw)).as("a folder LocalService may write").isEqualTo("%BASE%\\data\\logs");
    }

    @Test
    void theKubernetesPodStartsItsJvmAsTheUnitDoes() throws IOException {
        assertThat(Files.readString(Path.of("deploy/kubernetes/deployment.yaml")))
                .contains("value: \"" + JVM_OPTIONS.replace("-Xmx512m", "-Xmx256m") + "\"");
    }

    @Test
    void theInstallingPageChecksAsTheUnitRunsTheService() throws Exception {
        Path installed = unpack();
        List<String> unit = Files.readAllLines(installed.resolve("service/systemd/autopilot-bridge.service"));
        // The command's continued lines as the shell joins them.
        String check = Files.readString(installed.resolve("docs/installing.md")).replaceAll("\\\\\\R\\s*", " ").lines()
                .filter(line -> line.startsWith("sudo systemd-run ")).findFirst().orElseThrow();

        for (String setting : List.of("User=", "Group=", "EnvironmentFile=", "Environment=AUTOPILOT_HOME=", "WorkingDirectory=",
                "ProtectSystem=", "ReadWritePaths=", "ProtectHome=", "PrivateTmp=")) {
            assertThat(check).contains(" -p " + line(unit, setting) + " ");
        }
        assertThat(check).endsWith(" " + line(unit, "ExecStart=").substring("ExecStart=".length()) + " --check");
    }

    @Test
    void theUnpackedServiceImportsADroppedFileWhenStartedFromAnotherFolder() throws Exception {
        Path installed = unpack();
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Path log = work.resolve("service.log");
        List<String> arguments = new ArrayList<>(graph.arguments());
        arguments.addAll(List.of("--server.port=0", "--autopilot.poll-interval=1s"));

        try (ForkedBridge service = ForkedBridge.startJar(installed.resolve("autopilot-bridge.jar"), ShippedUnit.jvmOptions("384m"),
                elsewhere, Map.of("AUTOPILOT_HOME", installed.toString()), log, arguments)) {
            awaitStarted(service, log);
            assertThat(Files.readString(log)).contains("Loaded " + routesInTheSources() + " routes from file:" + installed.resolve("routes") + "/*.yaml");

            assertThat(importOne(installed.resolve("data"), "installed.csv", "INSTALLED-1")).containsExactly("imported");
        }
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files).as("nothing written to the working directory").isEmpty();
        }
    }

    @Test
    void theJarAloneRunsWithTheRoutesAndDefaultsItCarries() throws Exception {
        Path jar = Files.copy(unpack().resolve("autopilot-bridge.jar"), Files.createDirectories(work.resolve("bin")).resolve("autopilot-bridge.jar"));
        Path folder = Files.createDirectories(work.resolve("any-folder"));
        Path log = work.resolve("jar-alone.log");
        List<String> arguments = new ArrayList<>(graph.arguments());
        arguments.addAll(List.of("--server.port=0", "--autopilot.poll-interval=1s"));
        List<String> checkArguments = new ArrayList<>(arguments);
        checkArguments.add("--check");
        Path checkLog = work.resolve("jar-alone-check.log");
        try (ForkedBridge check = ForkedBridge.startJar(jar, List.of(), folder, Map.of(), checkLog, checkArguments)) {
            assertThat(check.awaitExit(PATIENCE)).as("--check of the jar alone").isZero();
        }
        assertThat(Files.readString(checkLog)).contains("OK    routes: " + ServiceFolders.routeFiles()
                + " route file(s) at classpath:routes/*.yaml define " + routesInTheSources() + " routes");

        try (ForkedBridge service = ForkedBridge.startJar(jar, List.of("-Xmx384m"), folder, Map.of(), log, arguments)) {
            awaitStarted(service, log);
            assertThat(Files.readString(log)).contains("Loaded " + routesInTheSources() + " routes from classpath:routes/*.yaml")
                    .contains("Home " + folder.toRealPath() + " (configuration: built-in defaults");

            assertThat(importOne(folder.resolve("data"), "alone.csv", "ALONE-1")).containsExactly("imported");
        }
    }

    @Test
    void checkReportsARefusedSecretWithItsAadstsCodeAndExitsNonZeroTouchingNothing() throws Exception {
        Path installed = unpack();
        Path log = work.resolve("check.log");
        List<String> arguments = new ArrayList<>(List.of("--check", "--autopilot.tenant-id=" + GraphStandIn.TENANT,
                "--autopilot.client-id=" + GraphStandIn.CLIENT_ID, "--autopilot.client-secret=an-expired-secret",
                "--autopilot.authority-url=" + graph.baseUrl(), "--autopilot.graph-url=" + graph.graphUrl()));

        try (ForkedBridge check = ForkedBridge.startJar(installed.resolve("autopilot-bridge.jar"), List.of(), work,
                Map.of("AUTOPILOT_HOME", installed.toString()), log, arguments)) {
            assertThat(check.awaitExit(PATIENCE)).isEqualTo(1);
        }

        assertThat(Files.readString(log)).contains("FAIL  token: token request failed with 401 invalid_client: AADSTS7000215")
                .contains("OK    routes: " + ServiceFolders.routeFiles() + " route file(s) at file:" + installed.resolve("routes"))
                .contains("1 of 11 checks failed.").doesNotContain("an-expired-secret");
        assertThat(installed.resolve("data")).as("nothing created").doesNotExist();
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix));
    }

    private static void awaitStarted(ForkedBridge service, Path log) {
        Awaitility.await("service started").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(service.isAlive()).as("still running; its log: %s", log).isTrue();
                    return Files.readString(log).contains("Started AutopilotBridgeApplication");
                });
    }

    private static List<String> importOne(Path data, String name, String serial) throws IOException {
        String csv = "Device Serial Number,Hardware Hash\r\n" + serial + "," + HashFiles.hash(new Random(31)) + "\r\n";
        HashFiles.drop(data.resolve("inbox"), name, csv.getBytes(StandardCharsets.UTF_8));
        Path results = ServiceFolders.await(data.resolve("done"), name + ".results.csv", PATIENCE);
        return CsvTable.read(results).stream().map(r -> r.get("Outcome")).toList();
    }

    /** Unpacks the zip as an admin would, and returns the installation folder. */
    private Path unpack() throws IOException {
        Path target = work.resolve("install");
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path file = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file);
                }
            }
        }
        return target.resolve(FOLDER);
    }

    private static List<String> zipEntries() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            return Collections.list(zip.entries()).stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
        }
    }

    /** The files of the .tar.gz, as {@code tar -tzf} lists them. */
    private static List<String> tarEntries() throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-tzf", TAR.toString()).redirectErrorStream(true).start();
        List<String> names = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(n -> !n.endsWith("/")).toList();
        assertThat(tar.waitFor()).isZero();
        return names;
    }

    /** How many routes routes/ defines (templates make none until a vendor is configured). */
    private static long routesInTheSources() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            long count = 0;
            for (Path file : files.toList()) {
                count += Files.readAllLines(file).stream().filter(line -> line.startsWith("- route:")).count();
            }
            return count;
        }
    }
}
