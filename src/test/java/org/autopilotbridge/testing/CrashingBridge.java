package org.autopilotbridge.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.aopalliance.intercept.MethodInterceptor;
import org.autopilotbridge.AutopilotBridgeApplication;
import org.autopilotbridge.graph.AutopilotDevices;
import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.graph.TenantGraph;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.ReportNames;
import org.autopilotbridge.ledger.UpdateLedger;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real service, started in a JVM of its own, that stops dead at one step of its work: the JVM halts with no
 * shutdown hooks and no clean-up, exactly as after {@code kill -9}. The step is chosen with
 * {@code -Dcrash.at=STEP}; without it, this is the plain service.
 */
public final class CrashingBridge {

    /** Where to stop: just before or just after a call of the ledger or of Graph. */
    public enum Step {
        FILE_READ(DeviceLedger.class, "recordLines", true),
        ROWS_RECORDED(FileLedger.class, "sealFile", true),
        BATCH_SENT(GraphClient.class, "importDevices", false),
        GRAPH_ANSWERED(BatchLedger.class, "batchSent", false),
        STATUS_POLLED(GraphClient.class, "listStaged", false),
        REPORT_NAMED(ReportNames.class, "nameReports", false),
        REPORT_WRITTEN(FileLedger.class, "fileFinished", true),
        /** Reading a large file, once its first batches were sent and followed: before its second chunk is recorded. */
        READING_AFTER_SENT(DeviceLedger.class, "recordLines", true, 2),
        /** Between lookup and update: registered devices were found and that is recorded; no change was sent yet. */
        UPDATE_LOOKED_UP(UpdateLedger.class, "record", false),
        /** Graph carried out an update (updateDeviceProperties answered 204), and the answer was not recorded. */
        UPDATE_SENT(AutopilotDevices.class, "updateProperties", false),
        /** Graph answered a read of deployment profiles, and what it said was not recorded. */
        PROFILE_READ(AutopilotDevices.class, "readProfiles", false);

        final Class<?> type;
        final String method;
        final boolean before;
        /** Which call of the method halts (the first unless said otherwise); a later one waits for a batch followed. */
        final int call;

        Step(Class<?> type, String method, boolean before) {
            this(type, method, before, 1);
        }

        Step(Class<?> type, String method, boolean before, int call) {
            this.type = type;
            this.method = method;
            this.before = before;
            this.call = call;
        }
    }

    /** The exit code of a halted service, as a shell reports kill -9. */
    public static final int HALTED = 137;

    private CrashingBridge() {
    }

    public static void main(String[] args) {
        new SpringApplication(AutopilotBridgeApplication.class, CrashPoint.class).run(args);
    }

    @Configuration(proxyBeanMethods = false)
    static class CrashPoint {

        @Bean
        static BeanPostProcessor crashInjector(ObjectProvider<JdbcTemplate> ledger) {
            String configured = System.getProperty("crash.at");
            Step step = configured == null ? null : Step.valueOf(configured);
            AtomicInteger calls = new AtomicInteger();
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (step != null && bean instanceof TenantGraphs graphs
                            && (step.type == GraphClient.class || step.type == AutopilotDevices.class)) {
                        return haltingGraphs(graphs, this);
                    }
                    if (step == null || !step.type.isAssignableFrom(AopUtils.getTargetClass(bean))) {
                        return bean;
                    }
                    MethodInterceptor halt = invocation -> {
                        boolean match = invocation.getMethod().getName().equals(step.method)
                                && calls.incrementAndGet() == step.call;
                        if (match && step.call > 1) {
                            awaitFollowedBatch(ledger.getObject());
                        }
                        if (match && step.before) {
                            halt(step);
                        }
                        Object result = invocation.proceed();
                        if (match) {
                            halt(step);
                        }
                        return result;
                    };
                    if (bean instanceof Advised advised) {
                        advised.addAdvice(0, halt);
                        return bean;
                    }
                    ProxyFactory proxy = new ProxyFactory(bean);
                    proxy.setProxyTargetClass(true);
                    proxy.addAdvice(halt);
                    return proxy.getProxy();
                }
            };
        }

        /**
         * Each tenant's Graph client and device calls are made per tenant, not as beans: the tenants' Graph is handed
         * out with them wrapped by {@code injector} as it wraps a bean.
         */
        private static Object haltingGraphs(TenantGraphs graphs, BeanPostProcessor injector) {
            Map<String, TenantGraph> halting = new ConcurrentHashMap<>();
            UnaryOperator<TenantGraph> wrap = graph -> halting.computeIfAbsent(graph.name(), n -> new TenantGraph(graph.tenant(),
                    (GraphClient) injector.postProcessAfterInitialization(graph.client(), n + "-client"),
                    (AutopilotDevices) injector.postProcessAfterInitialization(graph.devices(), n + "-devices"),
                    graph.tokens(), graph.outage()));
            ProxyFactory proxy = new ProxyFactory(graphs);
            proxy.setProxyTargetClass(true);
            proxy.addAdvice((MethodInterceptor) invocation -> {
                Object result = invocation.proceed();
                if (result instanceof TenantGraph graph) {
                    return wrap.apply(graph);
                }
                if (invocation.getMethod().getName().equals("all")) {
                    return ((List<?>) result).stream().map(graph -> wrap.apply((TenantGraph) graph)).toList();
                }
                return result;
            });
            return proxy.getProxy();
        }

        /** Waits until a batch was sent and is being followed, so that the halt comes after Graph has devices. */
        private static void awaitFollowedBatch(JdbcTemplate ledger) throws InterruptedException {
            for (int i = 0; i < 1200; i++) {
                if (ledger.queryForObject("SELECT COUNT(*) FROM import_batch WHERE status = 'TRACKING'", Integer.class) > 0) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("no batch was sent while the file was read");
        }

        private static void halt(Step step) {
            System.out.println("CRASH at " + step);
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
