package org.autopilotbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;
import org.autopilotbridge.AutopilotBridgeApplication;

/** Start-up refuses invalid settings and says which key is wrong, as an admin sees it in the log. */
@ExtendWith(OutputCaptureExtension.class)
class PropertiesValidationTest {

    @Test
    void refusesABatchSizeGraphWouldNotTake(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.batch-size must be between 1 and 500", "--autopilot.batch-size=900");
    }

    @Test
    void refusesANonPositivePollIntervalAndATimeoutShorterThanIt(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.poll-interval must be a positive duration such as 30s", "--autopilot.poll-interval=0s");
        assertStartupRefused(output, "autopilot.poll-timeout must be at least autopilot.poll-interval",
                "--autopilot.poll-interval=5m", "--autopilot.poll-timeout=1m");
    }

    @Test
    void refusesALeaseAndARetentionTooShortToWorkWith(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.cluster.lease must be at least 3s", "--autopilot.cluster.lease=1s");
        assertStartupRefused(output, "autopilot.retention must be at least 1d, such as 90d", "--autopilot.retention=12h");
    }

    @Test
    void refusesAProfileWaitBelowZeroOrBeyondAWeek(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.profile-wait must be between 0 (off) and 7d, such as 2h", "--autopilot.profile-wait=-1m");
        assertStartupRefused(output, "autopilot.profile-wait must be between 0 (off) and 7d, such as 2h", "--autopilot.profile-wait=8d");
    }

    @Test
    void refusesAProxyUserWithoutAProxy(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.proxy-user needs autopilot.proxy-url", "--autopilot.proxy-user=svc-bridge");
    }

    @Test
    void refusesAVendorWhoseKnownHostsFileCannotBeRead(CapturedOutput output) {
        String vendor = "--autopilot.vendors[0].";
        String[] args = {vendor + "name=contoso-oem", vendor + "sftp.host=sftp.contoso-oem.example", vendor + "sftp.username=autopilot",
            vendor + "sftp.password=vendor-pw-2c81", vendor + "sftp.known-hosts-file=no-such-known-hosts"};
        assertThatThrownBy(() -> SpringApplication.run(AutopilotBridgeApplication.class, withTestDefaults(args)).close())
                .hasStackTraceContaining("autopilot.vendors[0].sftp.known-hosts-file " + Path.of("no-such-known-hosts").toAbsolutePath()
                        + " cannot be read");
        assertThat(output.getAll()).doesNotContain("vendor-pw-2c81");
    }

    @Test
    void refusesUpdateRetriesOutsideTheirBounds(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.update-attempts must be between 1 and 20", "--autopilot.update-attempts=0");
        assertStartupRefused(output, "autopilot.update-retry-delay must be a positive duration of at most 1h",
                "--autopilot.update-retry-delay=0s");
        assertStartupRefused(output, "autopilot.update-retry-delay must be a positive duration of at most 1h",
                "--autopilot.update-retry-delay=2h");
    }

    @Test
    void updatesRegisteredDevicesUnlessSwitchedOff() {
        assertThat(bind(Map.of(), UpdateProperties.class).isUpdateExisting()).isTrue();
        assertThat(bind(Map.of("autopilot.update-existing", "false"), UpdateProperties.class).isUpdateExisting()).isFalse();
    }

    @Test
    void refusesAGraphUrlThatIsNotHttp(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.graph-url must be an absolute http(s) URL", "--autopilot.graph-url=graph.microsoft.com");
    }

    @Test
    void refusesGraphAndAuthorityUrlsWithoutTlsExceptToThisMachine(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.graph-url must be an https URL", "--autopilot.graph-url=http://graph.microsoft.com/v1.0");
        assertStartupRefused(output, "autopilot.authority-url must be an https URL",
                "--autopilot.authority-url=http://login.microsoftonline.com");
        GraphProperties local = bind(Map.of("autopilot.graph-url", "http://127.0.0.1:8089/v1.0",
                "autopilot.authority-url", "http://[::1]:8089"), GraphProperties.class);
        Errors errors = new BeanPropertyBindingResult(local, "autopilot");
        local.validate(local, errors);
        assertThat(errors.getAllErrors()).as("a stand-in on this machine").isEmpty();
    }

    @Test
    void refusesATenantWithoutCredentialsAndNeverEchoesTheSecret(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.client-id is required to call Graph", "--autopilot.tenant-id=contoso.onmicrosoft.com",
                "--autopilot.client-secret=do-not-print-me");
        assertThat(output.getAll()).doesNotContain("do-not-print-me");
    }

    @Test
    void refusesBothASecretAndACertificate(CapturedOutput output) {
        assertStartupRefused(output, "set either autopilot.client-secret or autopilot.client-certificate",
                "--autopilot.tenant-id=contoso.onmicrosoft.com", "--autopilot.client-id=app",
                "--autopilot.client-secret=s", "--autopilot.client-certificate=pom.xml");
    }

    @Test
    void refusesAConsoleLoginWithAShortPasswordWithoutEchoingIt(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.console.password must be set, at least 12 characters",
                "--autopilot.console.login=true", "--autopilot.console.user=ops", "--autopilot.console.password=pw-4d1e");
        assertThat(output.getAll()).doesNotContain("pw-4d1e");
    }

    @Test
    void refusesAConsolePasswordWithoutAUserWithoutEchoingIt(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.console.user is required with autopilot.console.password",
                "--autopilot.console.password=console-pw-91d3-long");
        assertThat(output.getAll()).doesNotContain("console-pw-91d3-long");
    }

    @Test
    void refusesToSwitchTheLoginOffWhenTheServiceListensBeyondLoopback(CapturedOutput output) {
        String[] args = {"--server.address=0.0.0.0", "--autopilot.console.login=false"};
        assertThatThrownBy(() -> SpringApplication.run(AutopilotBridgeApplication.class, withTestDefaults(args)).close())
                .hasStackTraceContaining("autopilot.console.login=false is refused while server.address (0.0.0.0)");
    }

    @Test
    void refusesAWebhookUrlThatIsNotHttpWithoutEchoingIt(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.notify.webhook-url must be an absolute http(s) URL",
                "--autopilot.notify.webhook-url=hooks.contoso.example/key-0b7d");
        assertThat(output.getAll()).doesNotContain("key-0b7d");
    }

    @Test
    void refusesMailWithoutAnSmtpServerOrSender(CapturedOutput output) {
        assertStartupRefused(output, "autopilot.notify.smtp.host is required", "--autopilot.notify.mail-to=ops@contoso.example",
                "--autopilot.notify.mail-from=bridge@contoso.example");
        assertStartupRefused(output, "autopilot.notify.mail-from is required", "--autopilot.notify.mail-to=ops@contoso.example",
                "--autopilot.notify.smtp.host=smtp.contoso.example");
    }

    @Test
    void picksTheUrlsOfEachNationalCloudUnlessSetExplicitly() {
        assertThat(bind(Map.of("autopilot.cloud", "usgov-dod"), GraphProperties.class).graph()).hasToString("https://dod-graph.microsoft.us/v1.0");
        assertThat(bind(Map.of("autopilot.cloud", "usgov-dod"), GraphProperties.class).authority()).hasToString("https://login.microsoftonline.us");
        assertThat(bind(Map.of("autopilot.cloud", "usgov"), GraphProperties.class).graph()).hasToString("https://graph.microsoft.us/v1.0");
        assertThat(bind(Map.of("autopilot.cloud", "china"), GraphProperties.class).authority()).hasToString("https://login.chinacloudapi.cn");
        assertThat(bind(Map.of("autopilot.cloud", "china"), GraphProperties.class).graph()).hasToString("https://microsoftgraph.chinacloudapi.cn/v1.0");
        assertThat(bind(Map.of(), GraphProperties.class).graph()).hasToString("https://graph.microsoft.com/v1.0");
        assertThat(bind(Map.of(), GraphProperties.class).authority()).hasToString("https://login.microsoftonline.com");
        assertThat(bind(Map.of("autopilot.cloud", "usgov", "autopilot.graph-url", "https://graph.microsoft.us/beta"), GraphProperties.class).graph())
                .hasToString("https://graph.microsoft.us/beta");
        assertThat(bind(Map.of("autopilot.graph-url", ""), GraphProperties.class).graph()).as("empty means the cloud's")
                .hasToString("https://graph.microsoft.com/v1.0");
    }

    private static <T> T bind(Map<String, String> values, Class<T> type) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("autopilot", type);
    }

    /** Reads only what this start logged: a refusal logged by an earlier start in the same test must not pass it. */
    private static void assertStartupRefused(CapturedOutput output, String key, String... args) {
        int before = output.getAll().length();
        assertThatThrownBy(() -> SpringApplication.run(AutopilotBridgeApplication.class, withTestDefaults(args)).close())
                .isInstanceOf(Exception.class);
        assertThat(output.getAll().substring(before)).contains("APPLICATION FAILED TO START").contains("Reason: " + key);
    }

    private static String[] withTestDefaults(String... args) {
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--camel.main.run-controller=false";
        all[args.length + 1] = "--autopilot.data-dir=target/never-created";
        all[args.length + 2] = "--server.port=0";
        return all;
    }
}
