package org.autopilotbridge.testing;

import org.aopalliance.intercept.MethodInterceptor;
import org.autopilotbridge.AutopilotBridgeApplication;
import org.autopilotbridge.graph.GraphClient;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
        REPORT_NAMED(FileLedger.class, "nameReports", false),
        REPORT_WRITTEN(FileLedger.class, "fileFinished", true);

        final Class<?> type;
        final String method;
        final boolean before;

        Step(Class<?> type, String method, boolean before) {
            this.type = type;
            this.method = method;
            this.before = before;
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
        static BeanPostProcessor crashInjector() {
            String configured = System.getProperty("crash.at");
            Step step = configured == null ? null : Step.valueOf(configured);
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (step == null || !step.type.isAssignableFrom(AopUtils.getTargetClass(bean))) {
                        return bean;
                    }
                    MethodInterceptor halt = invocation -> {
                        boolean match = invocation.getMethod().getName().equals(step.method);
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

        private static void halt(Step step) {
            System.out.println("CRASH at " + step);
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
