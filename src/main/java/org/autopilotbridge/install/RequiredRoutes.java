package org.autopilotbridge.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    static final List<String> IDS = List.of("inbox", "ingest", "submit", "track", "update", "finish", "cleanup", "sync",
            "backstop");
    private static final Logger LOG = LoggerFactory.getLogger(RequiredRoutes.class);

    public static final String ACTION = "Put the service's route files (*.yaml) there, or remove that folder to use the "
            + "routes built into the jar, or correct " + AutopilotHome.ROUTES_KEY + ".";

    private final String pattern;

    /** Before Camel reads the routes, so a pattern that matches no file is said as such, not as Camel's I/O error. */
    RequiredRoutes(Environment environment) {
        this.pattern = environment.getProperty(AutopilotHome.ROUTES_KEY);
        if (routeFiles(pattern) == 0) {
            throw new StartupRefusedException("No route file matches " + AutopilotHome.ROUTES_KEY + " = " + pattern, ACTION);
        }
    }

    /** How many files a routes pattern (Camel's comma-separated list of locations) matches. */
    public static int routeFiles(String pattern) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        int files = 0;
        for (String location : pattern == null ? new String[0] : pattern.split(",")) {
            try {
                files += resolver.getResources(location.strip()).length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for route files at " + location, e);
            }
        }
        return files;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
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
        LOG.info("Loaded {} routes from {}", loaded.size(), pattern);
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // Everything is checked before the routes start.
    }
}
