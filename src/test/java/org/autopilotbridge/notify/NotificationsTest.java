package org.autopilotbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.TenantSettings;
import org.autopilotbridge.finish.FileReport;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ProfileStatus;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenants;
import org.junit.jupiter.api.Test;

/** Which files are told, what the message says, and that a failed delivery is described without the secrets. */
class NotificationsTest {

    private static final String WEBHOOK = "https://contoso.webhook.office.com/workflows/9a8b/invoke?sig=Key-1f2e";

    private final ServiceEvents events = new ServiceEvents();

    @Test
    void tellsOnlyFilesThatNeedActionUnlessAlways() {
        FileReport clean = finished(Map.of(Outcome.IMPORTED, 3));
        FileReport failing = finished(Map.of(Outcome.IMPORTED, 3, Outcome.OTHER_TENANT, 1));
        FileReport refused = FileReport.refused("x.csv", "inbox", Path.of("dead-letter/x.csv"), "no recognisable header",
                "default");

        Notifications failures = notifications(NotifyProperties.On.FAILURES, WEBHOOK);
        assertThat(failures.wanted(clean)).isFalse();
        assertThat(failures.wanted(failing)).isTrue();
        assertThat(failures.wanted(refused)).isTrue();
        assertThat(notifications(NotifyProperties.On.ALWAYS, WEBHOOK).wanted(clean)).isTrue();
        assertThat(notifications(NotifyProperties.On.ALWAYS, "").wanted(failing)).as("no channel set").isFalse();
    }

    @Test
    void namesTheFileCountsDurationAndFailedLines() {
        Notification message = notifications(NotifyProperties.On.FAILURES, WEBHOOK)
                .compose(finished(Map.of(Outcome.OTHER_TENANT, 1, Outcome.IMPORTED, 3, Outcome.TIMEOUT, 2)));

        assertThat(message.text()).contains("hashes.csv from contoso-oem finished in 2 min 13 s: 3 imported, 1 other-tenant, 2 timeout.")
                .contains("3 lines need action: " + Path.of("dead-letter/hashes.csv.failed.csv").toAbsolutePath());
        assertThat(message.title()).isEqualTo("hashes.csv: 3 lines need action");
        assertThat(message.outcomes()).containsExactly(Map.entry("imported", 3), Map.entry("other-tenant", 1), Map.entry("timeout", 2));
        assertThat(message.durationSeconds()).isEqualTo(133);
    }

    @Test
    void namesTheTenantOfTheFileOnlyWhenTheServiceServesSeveral() {
        TenantProperties several = new TenantProperties();
        TenantSettings contoso = new TenantSettings();
        contoso.setTenantId("contoso.onmicrosoft.com");
        several.getTenants().put("contoso", contoso);
        several.getTenants().put("fabrikam", new TenantSettings());
        Notifications notifications = notifications(NotifyProperties.On.FAILURES, WEBHOOK, several);
        FileReport report = new FileReport("hashes.csv", "inbox", false, Map.of(Outcome.FAILED, 1), Duration.ofSeconds(5),
                Path.of("done/hashes.csv.results.csv"), Path.of("dead-letter/hashes.csv.failed.csv"), null, Map.of(), "contoso");

        Notification finished = notifications.compose(report);
        Notification refused = notifications.compose(FileReport.refused("x.csv", "inbox", Path.of("dead-letter/x.csv"),
                "no recognisable header", "contoso"));

        assertThat(finished.text()).contains("hashes.csv from inbox for tenant contoso (contoso.onmicrosoft.com) finished in 5 s");
        assertThat(finished.title()).isEqualTo("contoso: hashes.csv: 1 line needs action");
        assertThat(finished.tenant()).isEqualTo("contoso");
        assertThat(refused.text()).contains("x.csv from inbox for tenant contoso (contoso.onmicrosoft.com) was refused whole");
        assertThat(refused.title()).isEqualTo("contoso: x.csv was refused");
        Notification single = notifications(NotifyProperties.On.FAILURES, WEBHOOK).compose(finished(Map.of(Outcome.FAILED, 1)));
        assertThat(single.text()).doesNotContain("tenant");
        assertThat(single.tenant()).isNull();
    }

    @Test
    void countsDevicesWithoutADeploymentProfileAsNeedingAction() {
        FileReport followed = finished(Map.of(Outcome.IMPORTED, 4),
                Map.of(ProfileStatus.NOT_ASSIGNED, 1, ProfileStatus.ASSIGNED, 2, ProfileStatus.FAILED, 1));
        Notifications failures = notifications(NotifyProperties.On.FAILURES, WEBHOOK);

        assertThat(failures.wanted(followed)).as("not assigned needs an admin").isTrue();
        assertThat(failures.wanted(finished(Map.of(Outcome.IMPORTED, 2), Map.of(ProfileStatus.ASSIGNED, 2)))).isFalse();
        Notification message = failures.compose(followed);
        assertThat(message.title()).isEqualTo("hashes.csv: 2 devices without a deployment profile");
        assertThat(message.text()).contains("4 imported. Deployment profiles: 2 assigned, 1 not-assigned, 1 failed. "
                + "2 devices without a deployment profile: see Profile Status in the results.");
        assertThat(message.profiles()).containsExactly(Map.entry("assigned", 2), Map.entry("not-assigned", 1), Map.entry("failed", 1));
        assertThat(failures.compose(finished(Map.of(Outcome.IMPORTED, 3))).profiles()).as("not followed").isEmpty();
    }

    @Test
    void describesAFailedDeliveryWithoutTheWebhookUrl() {
        Notifications notifications = notifications(NotifyProperties.On.FAILURES, WEBHOOK);
        Exchange failed = new DefaultExchange(new DefaultCamelContext());
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpOperationFailedException(WEBHOOK, 404, "Not Found", null, null, null));
        notifications.deliveryFailed(failed, "hashes.csv");
        assertThat(events.lastError().message()).isEqualTo("Could not notify about hashes.csv by webhook after 6 attempts: "
                + "the receiver answered 404 Not Found");

        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new ConnectException("Connect to " + WEBHOOK + " failed"));
        notifications.deliveryFailed(failed, "hashes.csv");
        assertThat(events.lastError().message()).contains("ConnectException: Connect to <webhook-url> failed").doesNotContain("Key-1f2e");
    }

    private Notifications notifications(NotifyProperties.On on, String webhook) {
        return notifications(on, webhook, new TenantProperties());
    }

    private Notifications notifications(NotifyProperties.On on, String webhook, TenantProperties tenants) {
        NotifyProperties properties = new NotifyProperties();
        properties.setOn(on);
        properties.setWebhookUrl(webhook);
        return new Notifications(properties, events,
                new Tenants(tenants, new GraphProperties(), new ImportProperties(), new FolderProperties()), "autopilot-bridge");
    }

    private static FileReport finished(Map<Outcome, Integer> outcomes) {
        return finished(outcomes, Map.of());
    }

    private static FileReport finished(Map<Outcome, Integer> outcomes, Map<ProfileStatus, Integer> profiles) {
        return new FileReport("hashes.csv", "contoso-oem", false, outcomes, Duration.ofSeconds(133),
                Path.of("done/hashes.csv.results.csv"), Path.of("dead-letter/hashes.csv.failed.csv"), null, profiles,
                "default");
    }
}
