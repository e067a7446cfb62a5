package org.autopilotbridge.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.install.ConfiguredFiles;
import org.autopilotbridge.testing.MovableClock;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The vendor check against a real SFTP server whose folder is missing, run as often as readiness runs it while a
 * check fails (every 10 seconds): the server sees a login after 1, 2, 4... minutes, not at every run, readiness keeps
 * the last result meanwhile, and a fixed server is OK at the next login. Time is the check's clock, moved by hand.
 */
class VendorCheckBackoffIT {

    private final ServiceFolders folders = ServiceFolders.create();
    private final Path clientKey = folders.root().resolve("vendor_id_rsa");
    private final SftpServer sftp = new SftpServer(folders.root().resolve("sftp"), SftpServer.clientKey(clientKey).getPublic())
            .start();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T09:00:00Z"));

    @AfterEach
    void stop() throws IOException {
        sftp.close();
    }

    @Test
    void aFailedVendorIsLoggedInToAgainAfterOneTwoFourMinutesAtMostFifteenAndReadinessKeepsItsLastResult() throws IOException {
        VendorProperties vendors = vendor("/outbound/hashes");
        VendorCheck check = new VendorCheck(vendors, new ConfiguredFiles(new FolderProperties(), vendors),
                new DefaultListableBeanFactory().getBeanProvider(CamelContext.class), clock);

        CheckResult first = only(check.check());
        assertThat(first.failed()).isTrue();
        assertThat(first.detail()).contains("folder /outbound/hashes on 127.0.0.1:" + sftp.port() + " (login folder /) cannot be listed");
        for (int run = 1; run < 6; run++) {
            clock.move(Duration.ofSeconds(10));
            assertThat(only(check.check()).detail()).startsWith(first.detail()).contains("checked again after");
        }
        assertThat(sftp.logins()).as("one login in the first minute").isEqualTo(1);

        clock.move(Duration.ofSeconds(10));
        check.check();
        assertThat(sftp.logins()).as("a minute after the first failure").isEqualTo(2);
        clock.move(Duration.ofSeconds(110));
        check.check();
        assertThat(sftp.logins()).as("not before two minutes after the second").isEqualTo(2);
        clock.move(Duration.ofSeconds(10));
        check.check();
        assertThat(sftp.logins()).isEqualTo(3);
        for (int failures = 3; failures < 8; failures++) {
            clock.move(VendorCheck.LAST_RETRY);
            check.check();
        }
        clock.move(VendorCheck.LAST_RETRY.minusSeconds(1));
        check.check();
        assertThat(sftp.logins()).as("the wait grows to 15 minutes and no further").isEqualTo(8);

        Files.createDirectories(sftp.root().resolve("outbound/hashes"));
        clock.move(Duration.ofSeconds(1));
        assertThat(only(check.check()).failed()).as("fixed: OK at the next login").isFalse();
        check.check();
        assertThat(sftp.logins()).as("a vendor that passes is checked at every run (once a minute)").isEqualTo(10);
    }

    private VendorProperties vendor(String directory) throws IOException {
        Path knownHosts = Files.writeString(folders.root().resolve("known_hosts"), sftp.knownHostsLine() + "\n");
        VendorProperties properties = new VendorProperties();
        VendorProperties.Vendor vendor = new VendorProperties.Vendor();
        vendor.setName("contoso-oem");
        vendor.getSftp().setHost("127.0.0.1");
        vendor.getSftp().setPort(sftp.port());
        vendor.getSftp().setUsername(SftpServer.USER);
        vendor.getSftp().setPrivateKeyFile(clientKey);
        vendor.getSftp().setKnownHostsFile(knownHosts);
        vendor.getSftp().setDirectory(directory);
        properties.getVendors().add(vendor);
        return properties;
    }

    private static CheckResult only(List<CheckResult> results) {
        assertThat(results).hasSize(1);
        return results.get(0);
    }
}
