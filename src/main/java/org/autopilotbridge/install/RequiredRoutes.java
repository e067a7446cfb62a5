package org.autopilotbridge.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Refuses to start, before any route runs, when the routes the service is made of were not all loaded: a routes
 * folder or pattern that matches nothing (or only some files) would otherwise leave a service that says it started
 * and never takes a file, or takes files and never sends them.
 */
@Component
public class RequiredRoutes implements CamelContextConfiguration {

    /** The routes of routes/*.yaml, by the ids ops see over JMX. */
    static final List<String> IDS = List.of("inbox", "ingest", "submit", "track", "update", "profile", "finish", "cleanup", "sync",
            "backstop", "retention");
    private static final Logger LOG = LoggerFactory.getLogger(RequiredRoutes.class);

    private static final String ACTION = "Put the service's route files (*.yaml) there, or remove that folder to use the "
            + "routes built into the jar, or correct " + AutopilotHome.ROUTES_KEY + ".";

    private static final String UNREADABLE_ACTION = "Correct the file Camel names (at the line it gives), or put the shipped "
            + "route files back.";

    /** What the routes check found: the route files, and the routes they define, every required one among them. */
    public record Found(int files, int routes) {
    }

    private final String pattern;

    /** Before Camel reads the routes, so a pattern that matches no file is said as such, not as Camel's I/O error. */
    RequiredRoutes(Environment environment) {
        this.pattern = environment.getProperty(AutopilotHome.ROUTES_KEY);
        requireFiles(pattern);
    }

    private static List<org.springframework.core.io.Resource> requireFiles(String pattern) {
        List<org.springframework.core.io.Resource> files = routeFiles(pattern);
        if (files.isEmpty()) {
            throw new StartupRefusedException("No route file matches " + AutopilotHome.ROUTES_KEY + " = " + pattern, ACTION);
        }
        return files;
    }

    /**
     * The files a routes pattern (Camel's comma-separated list of locations) matches, found by Spring's resolver: Camel's
     * own scan of a plain context finds no {@code classpath:} file inside the service's jar, where Spring Boot's class
     * loader keeps them.
     */
    private static List<org.springframework.core.io.Resource> routeFiles(String pattern) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        List<org.springframework.core.io.Resource> files = new ArrayList<>();
        for (String location : pattern == null ? new String[0] : pattern.split(",")) {
            try {
                files.addAll(List.of(resolver.getResources(location.strip())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for route files at " + location, e);
            }
        }
        return files;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        LOG.info("Loaded {} routes from {}", requireAll(camel, pattern), pattern);
    }

    /**
     * What start-up says of the routes at {@code pattern}, found without starting the service ({@code --check}): the
     * files are read as Camel reads them at start, into a Camel context of their own that is never started, and the
     * routes they define are checked as above; a refusal says what start-up would.
     */
    public static Found verify(String pattern) {
        List<org.springframework.core.io.Resource> files = requireFiles(pattern);
        DefaultCamelContext camel = new DefaultCamelContext(false);
        // No MBean of its own beside the running service's.
        camel.disableJMX();
        camel.build();
        // Never started, it holds no thread or connection, so it is not shut down either.
        load(camel, pattern, files);
        return new Found(files.size(), requireAll(camel, pattern));
    }

    /**
     * The same for a running service: the routes it loaded at start, which start-up checked, rather than its files
     * read and parsed again on every run of the readiness checks (what changes in them takes effect only at the next
     * start anyway).
     */
    public static Found verify(CamelContext running, String pattern) {
        return new Found(requireFiles(pattern).size(), requireAll(running, pattern));
    }

    /** Reads the route files with Camel's loader, as start-up does: their routes and route configurations, none started. */
    private static void load(CamelContext camel, String pattern, List<org.springframework.core.io.Resource> files) {
        try {
            List<Resource> resources = new ArrayList<>();
            for (org.springframework.core.io.Resource file : files) {
                resources.add(ResourceHelper.fromBytes(file.getURL().toString(), file.getContentAsByteArray()));
            }
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
        } catch (Exception e) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            throw new StartupRefusedException("The " + files.size() + " route file(s) at " + AutopilotHome.ROUTES_KEY + " = "
                    + pattern + " cannot be read: " + e.getMessage() + (cause == e ? "" : ": " + cause.getMessage()),
                    UNREADABLE_ACTION);
        }
    }

    /** Refuses the routes loaded into {@code camel} unless every route the service is made of is among them; returns how many. */
    private static int requireAll(CamelContext camel, String pattern) {
        Set<String> loaded = camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().stream()
                .map(RouteDefinition::getRouteId).collect(Collectors.toSet());
        List<String> missing = IDS.stream().filter(id -> !loaded.contains(id)).toList();
        if (loaded.isEmpty()) {
            throw new StartupRefusedException("No route was loaded from " + AutopilotHome.ROUTES_KEY + " = " + pattern, ACTION);
        }
        if (!missing.isEmpty()) {
            throw new StartupRefusedException("The routes loaded from " + AutopilotHome.ROUTES_KEY + " = " + pattern
                    + " lack " + String.join(", ", missing), ACTION);
        }
        return loaded.size();
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // Everything is checked before the routes start.
    }
}
