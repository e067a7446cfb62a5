package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.notify.NotifyProperties;
import org.autopilotbridge.testing.ClosedPort;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.WebhookReceiver;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications through routes/80-notify.camel.yaml, to a local webhook receiver and a real SMTP server (GreenMail), in a
 * dry run: a line that fails validation is enough for a file to need action.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class NotifyIT {

    /** The receiver's key, as a Teams workflow URL carries it; it must never be logged. */
    private static final String WEBHOOK_PATH = "/workflows/0f1e2d/triggers/manual/paths/invoke?api-version=1&sig=Sig-7c41-secret";
    private static final String SMTP_PASSWORD = "smtp-secret-93af";
    private static final String OPS = "intune-admins@contoso.example";

    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final WebhookReceiver WEBHOOK = new WebhookReceiver();
    private static final GreenMail SMTP = startSmtp();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    NotifyProperties notify;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        registry.add("autopilot.notify.webhook-url", () -> WEBHOOK.url() + WEBHOOK_PATH);
        registry.add("autopilot.notify.mail-to", () -> OPS);
        registry.add("autopilot.notify.mail-from", () -> "autopilot-bridge@contoso.example");
        registry.add("autopilot.notify.smtp.host", () -> "127.0.0.1");
        registry.add("autopilot.notify.smtp.port", () -> SMTP.getSmtp().getPort());
        registry.add("autopilot.notify.smtp.user", () -> "bridge");
        registry.add("autopilot.notify.smtp.password", () -> SMTP_PASSWORD);
        registry.add("autopilot.notify.smtp.tls", () -> "none");
        registry.add("autopilot.notify.redeliveries", () -> "3");
        registry.add("autopilot.notify.redelivery-delay", () -> "100ms");
    }

    private static GreenMail startSmtp() {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.setUser("autopilot-bridge@contoso.example", "bridge", SMTP_PASSWORD);
        return smtp;
    }

    @AfterAll
    static void stopReceivers() {
        WEBHOOK.close();
        SMTP.stop();
    }

    @Test
    void postsJsonForTeamsOrSlackAndMailsWhenLinesNeedAction() throws Exception {
        drop("mixed.csv", "MIX-1", "MIX-2");

        JsonNode message = JSON.readTree(awaitWebhook("mixed.csv").body());
        Path failedLines = FOLDERS.deadLetter().resolve("mixed.csv.failed.csv").toAbsolutePath();
        assertThat(message.path("text").asText()).contains("mixed.csv from inbox finished in")
                .contains("1 rejected, 2 validated").contains("1 line needs action: " + failedLines);
        assertThat(message.path("file").asText()).isEqualTo("mixed.csv");
        assertThat(message.path("status").asText()).isEqualTo("finished");
        assertThat(message.path("outcomes").path("validated").asInt()).isEqualTo(2);
        assertThat(message.path("outcomes").path("rejected").asInt()).isEqualTo(1);
        assertThat(message.path("linesNeedingAction").asInt()).isEqualTo(1);
        assertThat(message.path("durationSeconds").isIntegralNumber()).isTrue();
        assertThat(Path.of(message.path("failedLines").asText())).isEqualTo(failedLines).exists();
        assertThat(Path.of(message.path("results").asText())).exists();
        assertThat(WEBHOOK.requestsMentioning("mixed.csv").get(0).pathAndQuery()).isEqualTo(WEBHOOK_PATH);
        assertThat(WEBHOOK.requestsMentioning("mixed.csv").get(0).contentType()).startsWith("application/json");

        MimeMessage mail = awaitMail("mixed.csv");
        assertThat(mail.getSubject()).isEqualTo("[autopilot-bridge] mixed.csv: 1 line needs action");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(OPS);
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("autopilot-bridge@contoso.example");
        assertThat(GreenMailUtil.getBody(mail)).contains("1 rejected, 2 validated").contains(failedLines.toString())
                .contains("rejected: 1");
    }

    @Test
    void saysNothingAboutAFileWithoutFailuresByDefault() throws Exception {
        List<?> results = FOLDERS.importDevices("clean.csv", new Random(41), "CLEAN-1", "CLEAN-2");
        assertThat(results).hasSize(2);
        drop("after-clean.csv", "AFTER-1");

        // The notify route takes files in order: once the later file is told, the clean one was passed over.
        awaitWebhook("after-clean.csv");
        awaitMail("after-clean.csv");
        assertThat(WEBHOOK.requestsMentioning("clean.csv")).allSatisfy(r -> assertThat(r.body()).contains("after-clean.csv"));
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).map(NotifyIT::subject)).noneMatch(s -> s.contains(" clean.csv"));
    }

    @Test
    void tellsAboutAFileRefusedWhole() throws Exception {
        HashFiles.drop(FOLDERS.inbox(), "not-hashes.csv", "Name,Department\r\nAda,IT\r\n".getBytes(StandardCharsets.UTF_8));

        JsonNode message = JSON.readTree(awaitWebhook("not-hashes.csv").body());
        assertThat(message.path("status").asText()).isEqualTo("refused");
        assertThat(message.path("reason").asText()).contains("no recognisable header");
        assertThat(Path.of(message.path("failedLines").asText())).isEqualTo(FOLDERS.deadLetter().resolve("not-hashes.csv").toAbsolutePath()).exists();
        assertThat(message.path("text").asText()).contains("not-hashes.csv from inbox was refused whole");
        assertThat(awaitMail("not-hashes.csv").getSubject()).isEqualTo("[autopilot-bridge] not-hashes.csv was refused");
    }

    @Test
    void retriesAReceiverThatFailsThenRecovers(CapturedOutput output) throws Exception {
        WEBHOOK.failFirst("flaky.csv", 2);
        drop("flaky.csv", "FLAKY-1");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> WEBHOOK.requestsMentioning("flaky.csv").size() == 3);
        assertThat(output.getAll()).doesNotContain("Could not notify about flaky.csv");
        awaitMail("flaky.csv");
    }

    @Test
    void logsOnceWhenTheReceiverIsDownAndStillFinishesTheFile(CapturedOutput output) throws Exception {
        String working = notify.getWebhookUrl();
        // Held for the whole test, so that nobody else can listen where the receiver is down.
        try (ClosedPort down = new ClosedPort()) {
            notify.setWebhookUrl("http://127.0.0.1:" + down.port() + WEBHOOK_PATH);
            drop("unheard.csv", "UNHEARD-1");
            ServiceFolders.await(FOLDERS.done(), "unheard.csv.results.csv", Duration.ofSeconds(30));

            // The mail goes out although the webhook cannot be reached, and the failure is logged once, after retries.
            awaitMail("unheard.csv");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> output.getAll().contains("Could not notify about unheard.csv"));
        } finally {
            notify.setWebhookUrl(working);
        }
        assertThat(output.getAll().lines().filter(l -> l.contains("Could not notify about unheard.csv")))
                .singleElement().asString().contains("by webhook after 4 attempts").contains("ConnectException");
        assertThat(output.getAll()).doesNotContain("Sig-7c41-secret").doesNotContain("/workflows/0f1e2d")
                .doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void keepsAHostileFileNameInertInTheLogTheWebhookAndTheMail(CapturedOutput output) throws Exception {
        String forged = "2026-01-01T00:00:00.000Z ERROR 1 --- [main] o.a.Security : FORGED-ENTRY";
        String name = "hostile\n" + forged + "\u2028 <!channel> <@U123> [click](https:evil.example) x.csv";
        drop(name, "HOSTILE-1");

        JsonNode message = JSON.readTree(Awaitility.await("the hostile file posted").atMost(Duration.ofSeconds(60))
                .until(() -> WEBHOOK.requestsMentioning("FORGED-ENTRY"), r -> !r.isEmpty()).get(0).body());
        String text = message.path("text").asText();
        assertThat(text).contains("hostile\\n2026-01-01T00:00:00.000Z ERROR").contains("\\u2028")
                .contains("&lt;!channel&gt; &lt;@U123&gt; \\[click\\](https:evil.example)")
                .doesNotContain("\n").doesNotContain("<!channel>").doesNotContain("<@U123>").doesNotContain("[click]");
        assertThat(message.path("file").asText()).doesNotContain("<").doesNotContain("\n");
        MimeMessage mail = awaitMail("hostile");
        assertThat(mail.getSubject()).doesNotContain("\n").doesNotContain("\r").contains("hostile\\n2026");

        Awaitility.await("the hostile file logged").atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("FORGED-ENTRY"));
        assertThat(output.getOut().lines()).as("no line the file name began").noneMatch(line -> line.startsWith("2026-01-01T00:00:00.000Z"));
        assertThat(output.getOut()).contains("hostile\\n" + forged + "\\u2028");
    }

    @Test
    void neutralisesAFormulaAfterLeadingSpacesOrQuotesInTheFailedRows() throws Exception {
        String header = "Manufacturer name,Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User,Device model";
        List<String> lines = List.of(header,
                "\"  =cmd|' /C calc'!A0\",FORMULA-1,,not-base64!,,,Book 3",
                "\"\"\"=HYPERLINK(\"\"http://evil.example\"\")\",FORMULA-2,,not-base64!,,,Book 3",
                "\" @SUM(1+1)\",FORMULA-3,,not-base64!,,,Book 3",
                "=plain,FORMULA-4,,not-base64!,,,Book 3");
        HashFiles.drop(FOLDERS.inbox(), "formulas.csv", HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));

        Path failed = ServiceFolders.await(FOLDERS.deadLetter(), "formulas.csv.failed.csv", Duration.ofSeconds(60));
        assertThat(CsvTable.read(failed)).extracting(row -> row.get("Manufacturer name"))
                .containsExactly("'  =cmd|' /C calc'!A0", "'\"=HYPERLINK(\"http://evil.example\")", "' @SUM(1+1)", "'=plain");
        List<DeviceRow> again = HashFiles.readBack(failed);
        assertThat(again).extracting(DeviceRow::serialNumber).as("the failed rows read back as a hash file")
                .containsExactly("FORMULA-1", "FORMULA-2", "FORMULA-3", "FORMULA-4");
    }

    /** Drops a file with valid devices and one line that fails validation. */
    private static void drop(String name, String... serials) throws IOException {
        StringBuilder csv = new StringBuilder("Device Serial Number,Hardware Hash\r\n");
        Random random = new Random(name.hashCode());
        for (String serial : serials) {
            csv.append(serial).append(',').append(HashFiles.hash(random)).append("\r\n");
        }
        csv.append("BROKEN-1,not*base64\r\n");
        HashFiles.drop(FOLDERS.inbox(), name, csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookReceiver.Request awaitWebhook(String file) {
        return Awaitility.await(file + " posted").atMost(Duration.ofSeconds(60))
                .until(() -> WEBHOOK.requestsMentioning("\"file\":\"" + file + "\""), r -> !r.isEmpty()).get(0);
    }

    private static MimeMessage awaitMail(String file) {
        return Awaitility.await(file + " mailed").atMost(Duration.ofSeconds(60))
                .until(() -> Arrays.stream(SMTP.getReceivedMessages()).filter(m -> subject(m).contains("] " + file)).findFirst(),
                        java.util.Optional::isPresent).get();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
