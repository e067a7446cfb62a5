package org.autopilotbridge.notify;

import java.util.Properties;

import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SMTP login and TLS of autopilot.notify.smtp, set on Camel's mail component rather than in the endpoint URI of
 * routes/80-notify.camel.yaml, so the password never shows in a route, an endpoint list or a log line.
 */
@Configuration(proxyBeanMethods = false)
public class NotifyMail {

    @Bean
    ComponentCustomizer notifySmtpLogin(NotifyProperties properties) {
        return ComponentCustomizer.forType(MailComponent.class, mail -> {
            NotifyProperties.Smtp smtp = properties.getSmtp();
            if (smtp.getUser() != null && !smtp.getUser().isBlank()) {
                mail.getConfiguration().setUsername(smtp.getUser());
                mail.getConfiguration().setPassword(smtp.getPassword());
            }
            mail.getConfiguration().setAdditionalJavaMailProperties(tls(smtp.getTls()));
        });
    }

    /** JavaMail settings for the chosen TLS; the server's name is always checked against its certificate. */
    static Properties tls(NotifyProperties.Tls tls) {
        Properties props = new Properties();
        switch (tls) {
            case STARTTLS -> {
                props.setProperty("mail.smtp.starttls.enable", "true");
                props.setProperty("mail.smtp.starttls.required", "true");
            }
            case IMPLICIT -> props.setProperty("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        props.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        props.setProperty("mail.smtp.connectiontimeout", "10000");
        props.setProperty("mail.smtp.timeout", "10000");
        return props;
    }
}
