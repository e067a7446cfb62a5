package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Start-up refuses invalid settings and says which key is wrong, as an admin sees it in the log. */
@ExtendWith(OutputCaptureExtension.class)
class AutopilotPropertiesTest {

    @Test
    void refusesABatchSizeGraphWouldNotTake(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.batch-size", "--autopilot.batch-size=900");
    }

    @Test
    void refusesANonPositivePollInterval(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.poll-interval", "--autopilot.poll-interval=0s");
    }

    @Test
    void refusesAGraphUrlThatIsNotHttp(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.graph-url", "--autopilot.graph-url=graph.microsoft.com");
    }

    @Test
    void refusesATenantWithoutCredentialsAndNeverEchoesTheSecret(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.client-id", "--autopilot.tenant-id=contoso.onmicrosoft.com",
                "--autopilot.client-secret=do-not-print-me");
        assertThat(output.getAll()).doesNotContain("do-not-print-me");
    }

    private static void assertStartupRefused(CapturedOutput output, String key, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--camel.main.run-controller=false";
        all[args.length + 1] = "--autopilot.data-dir=target/never-created";
        assertThatThrownBy(() -> SpringApplication.run(AutopilotBridgeApplication.class, all).close())
                .isInstanceOf(Exception.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("Reason: " + key);
    }
}
