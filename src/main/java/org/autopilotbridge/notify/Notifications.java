package org.autopilotbridge.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.mail.MailConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.autopilotbridge.finish.FileReport;
import org.autopilotbridge.ledger.ProfileStatus;
import org.autopilotbridge.ops.InertText;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The steps of routes/80-notify.camel.yaml that need Java: which files are worth a message, what it says, where the webhook
 * is (kept out of every endpoint URI, since the URL is a secret), and the one log line when a delivery finally fails.
 */
@Component("notifications")
public class Notifications {

    static final String FILE_PROPERTY = "notifiedFile";

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final NotifyProperties properties;
    private final ServiceEvents events;
    private final Tenants tenants;
    private final String service;
    private final String host = hostName();

    Notifications(NotifyProperties properties, ServiceEvents events, Tenants tenants,
                  @Value("${camel.main.name:autopilot-bridge}") String service) {
        this.properties = properties;
        this.events = events;
        this.tenants = tenants;
        this.service = service;
    }

    /** autopilot.notify.on: every file, or only those that need someone to act. */
    public boolean wanted(FileReport report) {
        return (properties.hasWebhook() || properties.hasMail())
                && (properties.getOn() == NotifyProperties.On.ALWAYS || report.needsAction());
    }

    public long redeliveryDelayMillis() {
        return properties.getRedeliveryDelay().toMillis();
    }

    public boolean hasWebhook() {
        return properties.hasWebhook();
    }

    public boolean hasMail() {
        return properties.hasMail();
    }

    /** The message, in one line whatever the file's name or the reason hold (a CR LF would also end a mail header). */
    public Notification compose(FileReport report) {
        String file = InertText.oneLine(report.file());
        String source = InertText.oneLine(report.source());
        // Only a service serving several tenants names them: one tenant's messages stay as they were.
        String tenant = tenants.several() ? report.tenant() : null;
        String where = file + " from " + source
                + (tenant == null ? "" : " for tenant " + tenants.find(tenant).map(Tenant::describe).orElse(tenant));
        String titled = tenant == null ? file : tenant + ": " + file;
        if (report.refused()) {
            String reason = InertText.oneLine(report.reason());
            String title = titled + " was refused";
            String text = service + " on " + host + ": " + where + " was refused whole: " + reason
                    + ". The file is in " + path(report.failedLines()) + ", beside its .error.txt; fix it and drop it again.";
            return new Notification(text, title, service, host, file, source, "refused", Map.of(),
                    null, null, path(report.failedLines()), null, reason, Map.of(), tenant);
        }
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        new EnumMap<>(report.outcomes()).forEach((outcome, n) -> outcomes.put(outcome.label(), n));
        int needingAction = report.failedLineCount();
        String counts = outcomes.isEmpty() ? "no lines" : outcomes.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        String lines = needingAction == 1 ? "1 line needs action" : needingAction + " lines need action";
        Map<String, Integer> profiles = new LinkedHashMap<>();
        for (ProfileStatus status : ProfileStatus.values()) {
            if (report.profiles().containsKey(status)) {
                profiles.put(status.label(), report.profiles().get(status));
            }
        }
        int notAssigned = report.notAssignedCount();
        String withoutProfile = notAssigned == 1 ? "1 device without a deployment profile"
                : notAssigned + " devices without a deployment profile";
        String title = titled + (needingAction > 0 ? ": " + lines : notAssigned > 0 ? ": " + withoutProfile : " finished");
        String text = service + " on " + host + ": " + where + " finished in " + readable(report.duration()) + ": " + counts + "."
                + (profiles.isEmpty() ? "" : " Deployment profiles: " + profiles.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ".")
                + (needingAction > 0 ? " " + lines + ": " + path(report.failedLines()) + "." : "")
                + (notAssigned > 0 ? " " + withoutProfile + ": see Profile Status in the results." : "")
                + " Results: " + path(report.results());
        return new Notification(text, title, service, host, file, source, "finished", outcomes,
                needingAction, report.duration().toSeconds(), path(report.failedLines()), path(report.results()), null, profiles, tenant);
    }

    /** Aims the HTTP call at the webhook through the header camel-http honours, so the URL is in no endpoint. */
    public void toWebhook(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_URI, properties.getWebhookUrl().trim());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
    }

    /** The mail: subject and addresses in the headers camel-mail reads, the message and its facts as text. */
    public String toMail(Notification notification, Exchange exchange) {
        exchange.getMessage().setHeader(MailConstants.MAIL_SUBJECT, "[" + service + "] " + notification.title());
        exchange.getMessage().setHeader(MailConstants.MAIL_FROM, properties.getMailFrom());
        exchange.getMessage().setHeader(MailConstants.MAIL_TO, String.join(", ", properties.getMailTo()));
        StringBuilder body = new StringBuilder(notification.text()).append("\r\n\r\n");
        notification.outcomes().forEach((outcome, n) -> body.append(outcome).append(": ").append(n).append("\r\n"));
        return body.toString();
    }

    /** Redelivery is exhausted: one log line, with what went wrong but never the webhook URL or a password. */
    public void deliveryFailed(Exchange exchange, @ExchangeProperty(FILE_PROPERTY) String file) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String channel = "notify-mail".equals(exchange.getFromRouteId()) ? "mail" : "webhook";
        // Called only once every redelivery has failed.
        int attempts = properties.getRedeliveries() + 1;
        String message = "Could not notify about " + file + " by " + channel + " after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + describe(cause);
        events.error(message);
        LOG.warn(message);
    }

    private String describe(Exception cause) {
        if (cause instanceof HttpOperationFailedException failed) {
            return "the receiver answered " + failed.getStatusCode() + " " + nullToEmpty(failed.getStatusText());
        }
        if (cause == null) {
            return "unknown error";
        }
        return cause.getClass().getSimpleName() + ": " + redact(String.valueOf(cause.getMessage()));
    }

    /** Messages of lower layers may quote the URL (its path or query holds the receiver's key) or a password. */
    private String redact(String message) {
        String redacted = message;
        if (properties.hasWebhook()) {
            String url = properties.getWebhookUrl().trim();
            redacted = redacted.replace(url, "<webhook-url>");
            int query = url.indexOf('?');
            if (query > 0) {
                redacted = redacted.replace(url.substring(0, query), "<webhook-url>");
            }
        }
        String password = properties.getSmtp().getPassword();
        return password == null || password.isEmpty() ? redacted : redacted.replace(password, "****");
    }

    private static String path(Path path) {
        return path == null ? null : InertText.oneLine(path.toAbsolutePath().normalize().toString());
    }

    static String readable(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        return seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
