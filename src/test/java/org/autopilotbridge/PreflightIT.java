package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.FileTrees.names;
import static org.autopilotbridge.testing.FileTrees.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.autopilotbridge.install.AutopilotHome;
import org.autopilotbridge.preflight.PreflightCommand;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ImmutableFolder;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --check} as an admin runs it before the first file: one line per check, OK or the reason and the fix, exit
 * code 1 if any failed; and nothing created, written or imported, whatever it finds.
 */
class PreflightIT {

    private final ServiceFolders folders = ServiceFolders.create();
    private final GraphStandIn graph = new GraphStandIn("preflight-secret");
    private final Path clientKey = folders.root().resolve("vendor_id_rsa");
    private final KeyPair keyPair = SftpServer.clientKey(clientKey);
    private final SftpServer sftp = new SftpServer(folders.root().resolve("sftp"), keyPair.getPublic())
            .loginFolder("/home/autopilot").start();
    private final List<String> arguments = new ArrayList<>();
    private String output;

    @AfterEach
    void stop() throws IOException {
        graph.close();
        sftp.close();
    }

    @Test
    void passesEveryCheckOfAWorkingInstallationAndTouchesNothing() throws IOException {
        folders.migrateEmbeddedLedger();
        Files.createDirectories(sftp.root().resolve("outbound/hashes"));
        Files.writeString(sftp.root().resolve("outbound/hashes/waiting.csv"), "Device Serial Number,Hardware Hash\r\n");
        vendor(0, "contoso-oem", "/outbound/hashes", sftp.knownHostsLine());
        arguments.addAll(List.of("--autopilot.console.user=ops", "--autopilot.console.password=check-pw-7a2c-long"));
        // The check moves a probe file of its own in the vendor's folder.
        Map<Path, String> before = snapshot(folders.root(), sftp.root());
        List<String> vendorFilesBefore = names(sftp.root().resolve("outbound/hashes"));

        assertThat(check()).as(output).isZero();

        assertThat(output).contains("OK    configuration: valid; home ").contains("; tenant " + GraphStandIn.TENANT)
                .contains("OK    routes: " + ServiceFolders.routeFiles() + " route file(s) at file:")
                .contains("routes, every required one among them")
                .contains("OK    autopilot.inbox: " + folders.inbox() + " does not exist yet and will be created at start")
                .containsPattern("OK    ledger: " + Pattern.quote(folders.dataDir().resolve("ledger.mv.db").toString())
                        + " opened, schema version \\d+")
                .contains("OK    token: obtained for tenant " + GraphStandIn.TENANT)
                .contains("OK    permission: the token carries DeviceManagementServiceConfig.ReadWrite.All")
                .contains("OK    graph: read the staged records at " + graph.graphUrl()
                        + "/deviceManagement/importedWindowsAutopilotDeviceIdentities (0 on the first page)")
                .contains("OK    vendor contoso-oem: host key matches, vendor logs in (login folder /home/autopilot), "
                        + "folder /outbound/hashes lists 1 file(s), and a file there can be moved")
                .contains("OK    console: login as ops")
                .contains("All 12 checks passed.").doesNotContain("check-pw-7a2c-long");
        assertThat(snapshot(folders.root(), sftp.root())).as("no file created, changed or moved").isEqualTo(before);
        assertThat(names(sftp.root().resolve("outbound/hashes"))).as("the probe moved and deleted, the vendor's files untouched")
                .isEqualTo(vendorFilesBefore);
        assertThat(graph.imports().calls()).isEmpty();
        assertThat(graph.received()).extracting(GraphStandIn.Received::method).containsExactly("GET");
    }

    @Test
    void aMissingPermissionFailsTheRoleCheckWithTheFix() {
        graph.tokens().grantRoles("DeviceManagementManagedDevices.Read.All");

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  permission: the token lacks DeviceManagementServiceConfig.ReadWrite.All; it "
                + "carries DeviceManagementManagedDevices.Read.All. Fix: in Entra ID > App registrations > the app "
                + "(autopilot.client-id) > API permissions, add Microsoft Graph > Application permissions > "
                + "DeviceManagementServiceConfig.ReadWrite.All and grant admin consent")
                // Graph itself refuses a token without the permission, as the stand-in does.
                .contains("FAIL  graph: reading ").contains("Graph answered 403 Forbidden").contains("2 of 11 checks failed.");
    }

    @Test
    void anAppWithNoApplicationPermissionIsToldSo() {
        graph.tokens().grantRoles();

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  permission: the token lacks DeviceManagementServiceConfig.ReadWrite.All: "
                + "it carries no application permission at all");
    }

    @Test
    void aRefusedSecretIsReportedWithItsAadstsCodeAndTheChecksNeedingATokenAreSkipped() {
        arguments.addAll(List.of("--autopilot.client-secret=expired-or-wrong"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  token: token request failed with 401 invalid_client: AADSTS7000215: Invalid client secret provided.")
                .contains("Fix: AUTOPILOT_CLIENT_SECRET is not a secret of this app: copy the secret's Value (not its Secret ID)")
                .contains("SKIP  permission: no token").contains("SKIP  graph: no token")
                .doesNotContain("expired-or-wrong").doesNotContain("preflight-secret");
        assertThat(graph.received()).as("no Graph call without a token").isEmpty();
    }

    @Test
    void aFolderThatCannotBeCreatedOrWrittenFailsNamingItsKey() throws IOException {
        Files.writeString(folders.root().resolve("share"), "a file where a mount point should be");
        Files.createDirectories(folders.root());
        Files.writeString(folders.done(), "a file where the folder should be");
        arguments.add("--autopilot.dead-letter=" + folders.root().resolve("share/dead-letter"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  autopilot.done: " + folders.done()
                + " is a file, not a folder. Fix: Create the folder and give the service's user write access")
                .contains("FAIL  autopilot.dead-letter: " + folders.root().resolve("share/dead-letter") + " cannot be created: "
                        + folders.root().resolve("share") + " is a file, not a folder. Fix: ")
                .contains("OK    token:");
    }

    @Test
    void aChangedHostKeyAndAMissingFolderAreNamedPerVendor() throws IOException {
        vendor(0, "mallory", "/outbound/hashes", sftp.impostorKnownHostsLine());
        vendor(1, "umbrella", "/outbound/missing", sftp.knownHostsLine());

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  vendor mallory: the host key of 127.0.0.1:" + sftp.port() + " differs from the one in "
                        + folders.root().resolve("known_hosts_0") + ": the vendor changed it, or this is not the vendor's server")
                .contains("FAIL  vendor umbrella: folder /outbound/missing on 127.0.0.1:" + sftp.port()
                        + " (login folder /home/autopilot) cannot be listed: No such file")
                .contains("2 of 13 checks failed.");
        assertThat(sftp.root().resolve("outbound/missing")).doesNotExist();
    }

    @Test
    void aVendorFolderWhereFilesCannotBeMovedFailsNamingVendorAndFolder() throws IOException {
        Files.createDirectories(sftp.root().resolve("outbound/readonly"));
        sftp.readOnly("/outbound/readonly");
        vendor(0, "stuck", "/outbound/readonly", sftp.knownHostsLine());
        vendor(1, "deleter", "/outbound/hashes", sftp.knownHostsLine());
        arguments.add("--autopilot.vendors[1].sftp.delete=true");
        Files.createDirectories(sftp.root().resolve("outbound/hashes"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  vendor stuck: folder /outbound/readonly on 127.0.0.1:" + sftp.port() + ": vendor "
                        + "cannot create a file (.autopilot-bridge-check: permission denied), so every fetched file would stay "
                        + "there (taken in once, and the vendor DEGRADED). Fix: ask the vendor to let vendor create, rename and "
                        + "delete files in /outbound/readonly and its .done and .failed folders")
                .contains("OK    vendor deleter: host key matches").contains("and a file there can be deleted");
        assertThat(names(sftp.root().resolve("outbound/hashes"))).as("the probe deleted").isEmpty();
    }

    @Test
    void anInvalidConfigurationIsOneFailedLineNamingTheKey() {
        arguments.add("--autopilot.batch-size=900");

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  configuration: autopilot.batch-size must be between 1 and 500. Fix: correct it")
                .contains("1 of 1 checks failed.");
    }

    @Test
    void anInvalidNotifySettingFailsTheConfigurationAsStartUpDoesWithoutEchoingTheWebhookKey() {
        arguments.addAll(List.of("--autopilot.notify.mail-to=ops@contoso.example", "--autopilot.notify.mail-from=bridge@contoso.example",
                "--autopilot.notify.webhook-url=hooks.contoso.example/key-0b7d"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  configuration: ").contains("autopilot.notify.smtp.host is required to send autopilot.notify.mail-to")
                .contains("autopilot.notify.webhook-url must be an absolute http(s) URL").contains("1 of 1 checks failed.")
                .doesNotContain("key-0b7d");
    }

    @Test
    void aConsoleWithoutALoginSaysItAnswers401AndHowToSetOne() {
        arguments.add("--server.address=0.0.0.0");

        check();

        assertThat(output).contains("SKIP  console: no login is set, so the console and every endpoint but health answer 401; "
                + "to open them, set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD (at least 12 characters)");
    }

    @Test
    void aConsoleUserWithoutAPasswordFailsTheConfiguration() {
        arguments.add("--autopilot.console.user=ops");

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  configuration: autopilot.console.password must be set, at least 12 characters")
                .contains("1 of 1 checks failed.");
    }

    @Test
    void aLoginSwitchedOffOnAnAddressOtherMachinesReachFailsTheConfigurationWithTheFix() {
        arguments.addAll(List.of("--server.address=0.0.0.0", "--autopilot.console.login=false"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  configuration: autopilot.console.login=false is refused while server.address (0.0.0.0) "
                + "lets other machines connect (Set autopilot.console.user and AUTOPILOT_CONSOLE_PASSWORD instead");
    }

    @Test
    void aRoutesFolderMissingARequiredRouteFailsNamingTheRoutesItLacks() throws IOException {
        Path routes = homeWithTheShippedRoutes();
        Files.delete(routes.resolve("30-submit.camel.yaml"));
        Files.delete(routes.resolve("85-backstop.camel.yaml"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).contains("FAIL  routes: The routes loaded from camel.main.routes-include-pattern = file:" + routes
                + "/*.yaml lack submit, backstop. Fix: Put the service's route files");
    }

    @Test
    void aRouteFileThatDoesNotParseFailsNamingTheFile() throws IOException {
        Path routes = homeWithTheShippedRoutes();
        Files.writeString(routes.resolve("10-inbox.camel.yaml"), Files.readString(routes.resolve("10-inbox.camel.yaml"))
                .replace("    id: inbox", "    id: inbox\n  - unbalanced: [list"));

        assertThat(check()).isEqualTo(1);

        assertThat(output).containsPattern("FAIL  routes: The " + ServiceFolders.routeFiles() + " route file\\(s\\) at "
                + Pattern.quote(AutopilotHome.ROUTES_KEY + " = file:" + routes + "/*.yaml") + " cannot be read: "
                + ".*10-inbox\\.camel\\.yaml, line 6, column 3: - unbalanced: \\[list .*Fix: Correct the file Camel names");
    }

    @Test
    void aFolderEvenRootCannotWriteFailsNamingItsKey() throws IOException {
        Path locked = Files.createDirectories(folders.root().resolve("locked"));
        arguments.addAll(List.of("--autopilot.inbox=" + locked, "--autopilot.done=" + locked.resolve("done")));

        try (ImmutableFolder immutable = ImmutableFolder.of(locked)) {
            assertThat(check()).isEqualTo(1);
        }

        assertThat(output).contains("FAIL  autopilot.inbox: " + locked + " cannot be written by this user. Fix: ")
                .contains("FAIL  autopilot.done: " + locked.resolve("done") + " cannot be created: " + locked
                        + " cannot be written by this user. Fix: ");
    }

    private int check() {
        List<String> all = new ArrayList<>(folders.arguments());
        // A setting given twice would be read as a list: the test's own value replaces the folder's.
        all.removeIf(a -> arguments.stream().anyMatch(b -> b.startsWith(a.substring(0, a.indexOf('=') + 1))));
        all.addAll(graph.arguments());
        all.addAll(arguments);
        all.add(PreflightCommand.FLAG);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = PreflightCommand.run(all.toArray(String[]::new), new PrintStream(printed, true, StandardCharsets.UTF_8));
        output = printed.toString(StandardCharsets.UTF_8);
        return exit;
    }

    private void vendor(int i, String name, String directory, String knownHostsLine) throws IOException {
        Path knownHosts = Files.writeString(folders.root().resolve("known_hosts_" + i), knownHostsLine + "\n");
        String key = "--autopilot.vendors[" + i + "].";
        arguments.addAll(List.of(key + "name=" + name, key + "sftp.host=127.0.0.1", key + "sftp.port=" + sftp.port(),
                key + "sftp.username=" + SftpServer.USER, key + "sftp.private-key-file=" + clientKey,
                key + "sftp.known-hosts-file=" + knownHosts, key + "sftp.directory=" + directory));
    }

    /** A home of its own whose routes/ folder holds copies of the shipped route files; returns that folder. */
    private Path homeWithTheShippedRoutes() throws IOException {
        Path home = Files.createDirectories(folders.root().resolve("home"));
        Path routes = Files.createDirectories(home.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        arguments.add("--autopilot.home=" + home);
        return routes;
    }
}
