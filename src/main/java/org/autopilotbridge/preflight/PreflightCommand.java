package org.autopilotbridge.preflight;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.autopilotbridge.config.ClusterProperties;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.RetryProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.UpdateProperties;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.graph.TenantGraphs;
import org.autopilotbridge.install.ConfiguredFiles;
import org.autopilotbridge.install.LiteralPaths;
import org.autopilotbridge.install.StartupRefusedException;
import org.autopilotbridge.ledger.LedgerDataSource;
import org.autopilotbridge.notify.NotifyProperties;
import org.autopilotbridge.ops.ConsoleProperties;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenants;
import org.h2.Driver;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.validation.ObjectError;

/**
 * {@code java -jar autopilot-bridge.jar --check}: runs every {@link Preflight} check with the service's own
 * configuration and prints one line per check; the exit code is 1 if any failed. It starts only what the checks
 * need (no routes, no web server, no database migration, no recovery of files), so it touches no file, imports
 * nothing, and can run beside the service.
 */
public final class PreflightCommand {

    public static final String FLAG = "--check";

    private PreflightCommand() {
    }

    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(FLAG);
    }

    public static int run(String[] args, PrintStream out) {
        String[] settings = Arrays.stream(args).filter(a -> !FLAG.equals(a)).toArray(String[]::new);
        SpringApplication application = new SpringApplicationBuilder(CheckContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                // Only warnings: the check's own lines are what the admin reads, and a refused configuration is one.
                .properties(Map.of("logging.level.root", "WARN",
                        "logging.level.org.springframework.boot.diagnostics", "OFF",
                        "logging.level.org.springframework.boot.SpringApplication", "OFF",
                        "logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext", "OFF"))
                .initializers(context -> context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(
                        "preflight", Map.of("autopilot.retry.max-attempts", "1"))))
                .build();
        List<CheckResult> results;
        try (ConfigurableApplicationContext context = application.run(settings)) {
            results = context.getBean(Preflight.class).run();
        } catch (RuntimeException e) {
            results = List.of(CheckResult.fail("configuration", refusal(e),
                    "correct it in config/application.yml under autopilot.home, the environment or the command line; "
                            + "no other check was run"));
        }
        results.forEach(r -> out.println(r.line()));
        long failed = results.stream().filter(CheckResult::failed).count();
        out.println(failed == 0 ? "All " + results.size() + " checks passed." : failed + " of " + results.size() + " checks failed.");
        return failed == 0 ? 0 : 1;
    }

    /** Why the configuration was refused: every setting's message, or the root cause in one line. */
    static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException invalid) {
                return String.join("; ", invalid.getValidationErrors().getAllErrors().stream()
                        .map(ObjectError::getDefaultMessage).toList());
            }
            if (t instanceof StartupRefusedException refused) {
                return refused.getMessage() + " (" + refused.action() + ")";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return e.getMessage() + (root == e ? "" : ": " + root.getMessage());
    }

    /**
     * The few parts of the service the checks use, and every setting start-up binds and validates, so that a setting
     * that would stop the service fails the check the same way; not a @Configuration, so the service's own scan never
     * picks it up.
     */
    @EnableConfigurationProperties({TenantProperties.class, GraphProperties.class, RetryProperties.class, FolderProperties.class,
        ImportProperties.class, UpdateProperties.class, VendorProperties.class, ClusterProperties.class, NotifyProperties.class,
        ConsoleProperties.class})
    @ComponentScan(basePackageClasses = TenantGraphs.class)
    @Import({LiteralPaths.class, ConfiguredFiles.class, ServiceEvents.class, Tenants.class, Preflight.class,
        LedgerCheck.class, GraphCheck.class, VendorCheck.class})
    static class CheckContext {

        CheckContext(ConsoleProperties console, Environment environment) {
            console.refuseOpenConsole(environment);
        }

        /**
         * Read-only: a shared ledger through a read-only session; the embedded one only if it exists, so that H2
         * neither creates nor changes a file through it.
         */
        @Bean
        DataSource ledger(FolderProperties properties, Environment environment) {
            String shared = environment.getProperty("spring.datasource.url", "");
            if (!shared.isBlank()) {
                SimpleDriverDataSource postgres = new SimpleDriverDataSource(new org.postgresql.Driver(), shared,
                        environment.getProperty("spring.datasource.username"), environment.getProperty("spring.datasource.password"));
                Properties readOnly = new Properties();
                readOnly.setProperty("readOnly", "true");
                postgres.setConnectionProperties(readOnly);
                return postgres;
            }
            return new SimpleDriverDataSource(new Driver(), "jdbc:h2:file:" + LedgerDataSource.file(properties)
                    + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;TRACE_LEVEL_FILE=0", "sa", "");
        }
    }
}
