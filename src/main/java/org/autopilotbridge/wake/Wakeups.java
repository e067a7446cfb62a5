package org.autopilotbridge.wake;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Hands work on as soon as it is ready instead of leaving it for the next timer tick: each stage's route consumes
 * from a {@code wake:<stage>} queue, and the route that has made work for it wakes it (routes/). A wake-up queue holds
 * one wake-up and drops the rest, because a stage that runs takes all of its work from the ledger at once. A route
 * that knows when its stage is next due (a poll, a retry, a sync) has it woken then with {@link #at}.
 */
@Component("wakeups")
public class Wakeups {

    private final CamelContext camel;
    private ProducerTemplate producer;
    private ScheduledExecutorService scheduler;

    Wakeups(CamelContext camel) {
        this.camel = camel;
    }

    /** The {@code wake:} component: SEDA queues of one wake-up each, which never block or fill up their senders. */
    @Configuration(proxyBeanMethods = false)
    static class WakeComponent {
        @Bean("wake")
        SedaComponent wake() {
            return queuesOfOne(new SedaComponent());
        }

        /**
         * Camel Spring Boot gives every SEDA component the settings of {@code camel.component.seda}, this one too: a
         * queue of 1,000 wake-ups that throws once full, each of which runs its stage again. This customizer comes
         * after that one and makes the wake-up queues what they must be again.
         */
        @Bean
        ComponentCustomizer wakeQueuesOfOne() {
            return new ComponentCustomizer() {
                @Override
                public void configure(String name, org.apache.camel.Component target) {
                    queuesOfOne((SedaComponent) target);
                }

                @Override
                public boolean isEnabled(String name, org.apache.camel.Component target) {
                    return "wake".equals(name);
                }

                @Override
                public int getOrder() {
                    return Ordered.LOWEST;
                }
            };
        }

        private static SedaComponent queuesOfOne(SedaComponent wake) {
            wake.setQueueSize(1);
            wake.setDefaultDiscardWhenFull(true);
            wake.setDefaultBlockWhenFull(false);
            return wake;
        }
    }

    /**
     * Wakes the stage's route now; not once the service is stopping, when the stages take no new work: a stage woken
     * then would find its due work, leave it, and wake itself again at once, until the routes are stopped.
     */
    private void now(String stage) {
        if (!camel.isStopping() && !camel.isStopped()) {
            producer().sendBody("wake:" + stage, null);
        }
    }

    /** Wakes the stage's route at {@code when} (at once if that has passed). */
    public void at(Instant when, String stage) {
        long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis());
        scheduler().schedule(() -> now(stage), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "wake-ups");
        }
        return scheduler;
    }
}
