package org.autopilotbridge.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.autopilotbridge.AutopilotBridgeApplication;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A vendor's files are for one tenant the service serves, and start-up says which vendor and which tenants when not. */
@ExtendWith(OutputCaptureExtension.class)
class VendorTenantsTest {

    @TempDir
    Path dir;

    @Test
    void refusesToStartWithAVendorWithoutATenantOnceTenantsAreConfigured(CapturedOutput output) throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        String vendor = "--autopilot.vendors[0].";
        String[] args = {"--autopilot.dry-run=true", "--autopilot.tenants.contoso.tenant-id=contoso.onmicrosoft.com",
            "--autopilot.tenants.fabrikam.tenant-id=fabrikam.onmicrosoft.com", vendor + "name=oem-one",
            vendor + "sftp.host=sftp.oem-one.example", vendor + "sftp.username=autopilot", vendor + "sftp.password=vendor-pw-77d0",
            vendor + "sftp.known-hosts-file=" + knownHosts, "--autopilot.inbox=" + dir.resolve("inbox"),
            "--autopilot.done=" + dir.resolve("done"), "--autopilot.dead-letter=" + dir.resolve("dead-letter"),
            "--autopilot.data-dir=" + dir.resolve("state"), "--camel.main.run-controller=false", "--server.port=0"};

        assertThatThrownBy(() -> SpringApplication.run(AutopilotBridgeApplication.class, args).close()).isInstanceOf(Exception.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("autopilot.vendors[0].tenant is required for vendor oem-one: this service serves several tenants (contoso, fabrikam)")
                .contains("Set each vendor's tenant to the name of one of autopilot.tenants (contoso, fabrikam).")
                .doesNotContain("vendor-pw-77d0");
    }

    @Test
    void refusesAVendorTenantThatIsNoneOfTheTenants() {
        assertThatThrownBy(() -> new VendorTenants(vendors("oem-one", "northwind"), TestTenants.several(folders(), "contoso", "fabrikam")))
                .isInstanceOf(StartupRefusedException.class).hasMessage("autopilot.vendors[0].tenant of vendor oem-one is 'northwind', "
                        + "which is none of the tenants of autopilot.tenants (contoso, fabrikam)");
    }

    @Test
    void refusesAVendorTenantInASingleTenantServiceAndTakesVendorsOfKnownTenants() {
        assertThatThrownBy(() -> new VendorTenants(vendors("oem-one", "contoso"), TestTenants.single(folders())))
                .isInstanceOf(StartupRefusedException.class).hasMessage("autopilot.vendors[0].tenant of vendor oem-one is set, but "
                        + "autopilot.tenants is not: this service imports every file into its one tenant");
        new VendorTenants(vendors("oem-one", "fabrikam"), TestTenants.several(folders(), "contoso", "fabrikam"));
        new VendorTenants(vendors("oem-one", null), TestTenants.single(folders()));
    }

    private static VendorProperties vendors(String name, String tenant) {
        VendorProperties vendors = new VendorProperties();
        VendorProperties.Vendor vendor = new VendorProperties.Vendor();
        vendor.setName(name);
        vendor.setTenant(tenant);
        vendors.getVendors().add(vendor);
        return vendors;
    }

    private FolderProperties folders() {
        FolderProperties folders = new FolderProperties();
        folders.setInbox(dir.resolve("inbox"));
        folders.setDone(dir.resolve("done"));
        folders.setDeadLetter(dir.resolve("dead-letter"));
        return folders;
    }
}
