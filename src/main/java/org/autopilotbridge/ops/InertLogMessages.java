package org.autopilotbridge.ops;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;

import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Every plain-text log line's message goes through {@link InertText#oneLine}: file names, serials and Graph's
 * messages reach the log in many places, here and in Camel, and one place catches them all. Logback's {@code %m}
 * (also {@code %msg}, {@code %message}) is replaced in the patterns Spring Boot has just set up, whichever they are;
 * structured (JSON) logs escape control characters already.
 */
public class InertLogMessages implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    private static final List<String> MESSAGE_WORDS = List.of("m", "msg", "message");
    /** Spring Boot's start-up failure report spans lines by design; it holds settings, not outside text. */
    private static final Set<String> MULTI_LINE = Set.of("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");

    @Override
    public int getOrder() {
        // Right after Spring Boot has (re)built the appenders.
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Map<String, Supplier<?>> rules = (Map<String, Supplier<?>>) context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        for (String word : MESSAGE_WORDS) {
            rules.put(word, Message::new);
        }
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders(); appenders.hasNext(); ) {
                if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> appender
                        && appender.getEncoder() instanceof PatternLayoutEncoder encoder) {
                    // Parsed again, now with the rules above.
                    encoder.getLayout().stop();
                    encoder.getLayout().start();
                }
            }
        }
    }

    /** {@code %m} with its control characters escaped. */
    public static class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            String message = super.convert(event);
            return MULTI_LINE.contains(event.getLoggerName()) ? message : InertText.oneLine(message);
        }
    }
}
