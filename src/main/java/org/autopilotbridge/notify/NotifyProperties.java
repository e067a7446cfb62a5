package org.autopilotbridge.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Who hears about finished and refused files ({@code autopilot.notify.*}), and how. Nothing set means no
 * notification. The webhook URL carries its receiver's key and the SMTP password is a secret: problems with them are
 * reported without the value.
 */
@Validated
@ConfigurationProperties(prefix = "autopilot.notify")
public class NotifyProperties implements Validator {

    /** Which files are worth a message. */
    public enum On {
        /** Files refused whole, or with lines in dead-letter. */
        FAILURES,
        /** Every finished or refused file. */
        ALWAYS
    }

    /** How the SMTP connection is protected. */
    public enum Tls {
        /** Plain connection upgraded with STARTTLS, which must succeed (port 587). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        IMPLICIT,
        /** No TLS: only for a relay on this machine or a trusted network. */
        NONE
    }

    /** Which files are worth a message: failures (refused whole, or with lines in dead-letter) or always (every file). */
    @NotNull(message = "autopilot.notify.on must be failures or always")
    private On on = On.FAILURES;

    /**
     * Webhook that receives the message as JSON (a Teams workflow, a Slack incoming webhook or any receiver); it holds
     * the receiver's key, so set it in the environment (AUTOPILOT_NOTIFY_WEBHOOKURL); empty: no webhook.
     */
    private String webhookUrl;

    /** Mail recipients, comma-separated; empty: no mail. */
    private List<String> mailTo = List.of();

    /** Sender address of those mails; required with mail-to. */
    private String mailFrom;

    @Valid
    private final Smtp smtp = new Smtp();

    /** Further tries of a failed delivery, 0 to 20, each channel on its own; then one log line. */
    @Min(value = 0, message = "autopilot.notify.redeliveries must be between 0 and 20")
    @Max(value = 20, message = "autopilot.notify.redeliveries must be between 0 and 20")
    private int redeliveries = 5;

    /** Wait before the first retry; it doubles with each one, up to a minute (Camel's maximum redelivery delay). */
    @NotNull(message = "autopilot.notify.redelivery-delay must be set")
    private Duration redeliveryDelay = Duration.ofSeconds(10);

    /** The SMTP server that sends the mails. */
    public static class Smtp {

        /** SMTP server that sends the mails; required with mail-to. */
        private String host;

        /** Its port: 587 for STARTTLS, 465 for implicit TLS, 25 for a relay without TLS. */
        @Min(value = 1, message = "autopilot.notify.smtp.port must be between 1 and 65535")
        @Max(value = 65535, message = "autopilot.notify.smtp.port must be between 1 and 65535")
        private int port = 587;

        /** Login at the SMTP server; empty: none. */
        private String user;

        /** Its password; set it in the environment (AUTOPILOT_NOTIFY_SMTP_PASSWORD), never in a file. */
        private String password;

        /** starttls (must succeed), implicit (SMTPS) or none (only for a relay on this machine or a trusted network). */
        @NotNull(message = "autopilot.notify.smtp.tls must be starttls, implicit or none")
        private Tls tls = Tls.STARTTLS;

        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Tls getTls() { return tls; }
        public void setTls(Tls tls) { this.tls = tls; }
    }

    public boolean hasWebhook() {
        return !isBlank(webhookUrl);
    }

    public boolean hasMail() {
        return !mailTo.isEmpty();
    }

    @Override
    public boolean supports(Class<?> type) {
        return NotifyProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        NotifyProperties p = (NotifyProperties) target;
        if (p.hasWebhook() && !isHttpUrl(p.webhookUrl)) {
            errors.reject("url", "autopilot.notify.webhook-url must be an absolute http(s) URL");
        }
        if (p.redeliveryDelay != null && (p.redeliveryDelay.isNegative() || p.redeliveryDelay.isZero())) {
            errors.rejectValue("redeliveryDelay", "positive", "autopilot.notify.redelivery-delay must be a positive duration such as 10s");
        }
        if (!p.hasMail()) {
            return;
        }
        for (String address : p.mailTo) {
            requireAddress(address, "mailTo", "autopilot.notify.mail-to", errors);
        }
        requireAddress(p.mailFrom, "mailFrom", "autopilot.notify.mail-from", errors);
        if (isBlank(p.smtp.host)) {
            errors.rejectValue("smtp.host", "required", "autopilot.notify.smtp.host is required to send autopilot.notify.mail-to");
        }
        if (!isBlank(p.smtp.password) && isBlank(p.smtp.user)) {
            errors.reject("user", "autopilot.notify.smtp.password needs autopilot.notify.smtp.user");
        }
    }

    private static void requireAddress(String address, String field, String key, Errors errors) {
        if (isBlank(address)) {
            errors.rejectValue(field, "required", key + " is required to send mail");
            return;
        }
        try {
            new InternetAddress(address, true);
        } catch (AddressException e) {
            errors.rejectValue(field, "address", key + " must be a mail address such as ops@contoso.example");
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public On getOn() { return on; }
    public void setOn(On on) { this.on = on; }
    public String getWebhookUrl() { return webhookUrl; }
    public void setWebhookUrl(String webhookUrl) { this.webhookUrl = webhookUrl; }
    public List<String> getMailTo() { return mailTo; }
    /** Blank entries are dropped: AUTOPILOT_NOTIFY_MAILTO="" means no mail. */
    public void setMailTo(List<String> mailTo) { this.mailTo = mailTo.stream().filter(a -> !isBlank(a)).map(String::trim).toList(); }
    public String getMailFrom() { return mailFrom; }
    public void setMailFrom(String mailFrom) { this.mailFrom = mailFrom; }
    public Smtp getSmtp() { return smtp; }
    public int getRedeliveries() { return redeliveries; }
    public void setRedeliveries(int redeliveries) { this.redeliveries = redeliveries; }
    public Duration getRedeliveryDelay() { return redeliveryDelay; }
    public void setRedeliveryDelay(Duration redeliveryDelay) { this.redeliveryDelay = redeliveryDelay; }
}
