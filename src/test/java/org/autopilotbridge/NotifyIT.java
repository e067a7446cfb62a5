package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.smtp.auth.UsernameAuthentication;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.testing.CsvTable;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.WebhookReceiver;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications through routes/80-notify.camel.yaml, to a local webhook receiver and a real SMTP server (GreenMail, which
 * takes a mail with or without a login, so the login each mail came with is recorded), in a dry run: a line that fails
 * validation is enough for a file to need action.
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
    /** The SMTP login each mail was sent with, by subject ("none" without one). */
    private static final Map<String, String> SMTP_LOGINS = new ConcurrentHashMap<>();
    private static final GreenMail SMTP = startSmtp();
    private static final ObjectMapper JSON = new ObjectMapper();

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
        // With this user, a login with another password is refused (535) and the mail never arrives.
        smtp.setUser("autopilot-bridge@contoso.example", "bridge", SMTP_PASSWORD);
        MessageDeliveryHandler deliver = smtp.getUserManager().getMessageDeliveryHandler();
        smtp.getUserManager().setMessageDeliveryHandler((message, to) -> {
            SMTP_LOGINS.put(message.getMessage().getSubject(),
                    message.getAuthenticationState() instanceof UsernameAuthentication login ? login.getUsername() : "none");
            return deliver.handle(message, to);
        });
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
        assertThat(Path.of(message.path("results").asText())).isEqualTo(FOLDERS.done().resolve("mixed.csv.results.csv").toAbsolutePath())
                .exists();
        assertThat(WEBHOOK.requestsMentioning("mixed.csv").get(0).pathAndQuery()).isEqualTo(WEBHOOK_PATH);
        assertThat(WEBHOOK.requestsMentioning("mixed.csv").get(0).contentType()).startsWith("application/json");

        MimeMessage mail = awaitMail("mixed.csv");
        assertThat(mail.getSubject()).isEqualTo("[autopilot-bridge] mixed.csv: 1 line needs action");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(OPS);
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("autopilot-bridge@contoso.example");
        assertThat(GreenMailUtil.getBody(mail)).contains("1 rejected, 2 validated").contains(failedLines.toString())
                .contains("rejected: 1");
        assertThat(SMTP_LOGINS).as("logged in to the SMTP server").containsEntry(mail.getSubject(), "bridge");
    }

    @Test
    void finishesFilesWhileANotificationIsUnansweredAndSaysNothingAboutACleanFileByDefault() throws Exception {
        WEBHOOK.holdFirst("held.csv");
        drop("held.csv", "HELD-1");
        assertThat(FOLDERS.importDevices("clean.csv", new Random(41), "CLEAN-1", "CLEAN-2")).hasSize(2);
        awaitWebhook("held.csv");

        // While the receiver leaves held.csv's message unanswered, another file finishes: nothing waits for it.
        drop("told.csv", "TOLD-1");
        ServiceFolders.await(FOLDERS.done(), "told.csv.results.csv", Duration.ofSeconds(60));
        assertThat(WEBHOOK.requestsMentioning("held.csv")).as("held.csv's message: its first try, still unanswered").hasSize(1);
        WEBHOOK.release("held.csv");

        // Messages go out in the order files finished: once told.csv is told, clean.csv was passed over.
        awaitWebhook("told.csv");
        awaitMail("told.csv");
        assertThat(WEBHOOK.requestsMentioning("\"file\":\"clean.csv\"")).isEmpty();
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
        // The mail goes out once the webhook's delivery is over, so nothing about it can be logged after this.
        awaitMail("flaky.csv");
        List<WebhookReceiver.Request> tries = WEBHOOK.requestsMentioning("flaky.csv");
        assertThat(tries).extracting(WebhookReceiver.Request::body).as("the same message each time").containsOnly(tries.get(0).body());
        assertThat(output.getAll()).doesNotContain("Could not notify about flaky.csv");
    }

    @Test
    void triesAFailingReceiverFourTimesThenLogsOnceWithoutItsKeyAndStillMails(CapturedOutput output) throws Exception {
        // Camel's HTTP failure quotes the whole URL, key included: the log line must not.
        WEBHOOK.failFirst("unheard.csv", Integer.MAX_VALUE);
        drop("unheard.csv", "UNHEARD-1");

        // The mail goes out once the webhook has given up: every try is made and the failure logged by then.
        awaitMail("unheard.csv");
        assertThat(WEBHOOK.requestsMentioning("unheard.csv")).as("a first try and 3 redeliveries").hasSize(4);
        assertThat(output.getAll().lines().filter(l -> l.contains("Could not notify about unheard.csv"))).singleElement()
                .asString().contains("by webhook after 4 attempts: the receiver answered 500");
        assertThat(output.getAll()).doesNotContain("Sig-7c41-secret").doesNotContain("/workflows/0f1e2d")
                .doesNotContain(SMTP_PASSWORD);
        assertThat(FOLDERS.done().resolve("unheard.csv.results.csv")).exists();
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
                        Optional::isPresent).get();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
