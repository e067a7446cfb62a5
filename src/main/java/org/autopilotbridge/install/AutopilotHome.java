package org.autopilotbridge.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The one base of the installation: {@code autopilot.home}, from the command line, a system property or
 * {@code AUTOPILOT_HOME}, else the working directory. Before the configuration is read it fixes three things, so
 * that the service runs the same from any working directory:
 * <ul>
 *   <li>{@code autopilot.home} itself, as an absolute path, against which every relative path resolves;</li>
 *   <li>where configuration is read: the defaults built into the jar, overridden by {@code <home>/config/};</li>
 *   <li>where routes are read ({@code camel.main.routes-include-pattern}, unless set): {@code <home>/routes/*.yaml}
 *       when that folder holds any, else the routes built into the jar.</li>
 * </ul>
 */
public class AutopilotHome implements EnvironmentPostProcessor, Ordered {

    public static final String KEY = "autopilot.home";
    public static final String ROUTES_KEY = "camel.main.routes-include-pattern";
    public static final String BUILT_IN_ROUTES = "classpath:routes/*.yaml";
    private static final String CONFIG_LOCATION = "spring.config.location";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER - 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path home = resolve(environment.getProperty(KEY));
        Map<String, Object> fixed = new LinkedHashMap<>();
        fixed.put(KEY, home.toString());
        if (!environment.containsProperty(CONFIG_LOCATION)) {
            fixed.put(CONFIG_LOCATION, "optional:classpath:/,optional:" + folderUrl(home.resolve("config")));
        }
        environment.getPropertySources().addFirst(new MapPropertySource("autopilotHome", fixed));
        // Last: a routes pattern set anywhere else (command line, environment, config/application.yml) wins.
        environment.getPropertySources().addLast(new MapPropertySource("autopilotRoutes", Map.of(ROUTES_KEY, routes(home))));
    }

    static Path resolve(String configured) {
        Path home = Path.of(configured == null ? "" : configured.strip()).toAbsolutePath().normalize();
        if (!Files.isDirectory(home)) {
            throw new StartupRefusedException(KEY + " (" + home + ") is not a folder",
                    "Set " + KEY + " (or AUTOPILOT_HOME) to the folder the service is installed in, or leave it unset to use the working directory.");
        }
        return home;
    }

    /** The routes beside the installation if that folder holds any, else those built into the jar. */
    static String routes(Path home) {
        Path folder = home.resolve("routes");
        if (!Files.isDirectory(folder)) {
            return BUILT_IN_ROUTES;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".yaml")) ? folderUrl(folder) + "*.yaml" : BUILT_IN_ROUTES;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** A folder as a {@code file:} location with forward slashes and a trailing one, as Spring and Camel read it on any system. */
    static String folderUrl(Path folder) {
        return "file:" + folder.toString().replace('\\', '/') + "/";
    }

    /**
     * Once the configuration files are read: {@code autopilot.home} cannot come from one of them (it decides where
     * they are read from, so a value there would be ignored and the service would silently run somewhere else than
     * the file says); and the work folders are published resolved against the home, so the routes'
     * {@code {{autopilot.inbox}}} and the service's beans see the same absolute folder.
     */
    public static class AfterConfigFiles implements EnvironmentPostProcessor, Ordered {

        static final List<String> FOLDER_KEYS = List.of("autopilot.inbox", "autopilot.done", "autopilot.dead-letter", "autopilot.data-dir");

        @Override
        public int getOrder() {
            return ConfigDataEnvironmentPostProcessor.ORDER + 1;
        }

        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source instanceof OriginTrackedMapPropertySource && source.containsProperty(KEY)) {
                    throw new StartupRefusedException(KEY + " is set in " + source.getName()
                            + ", but it decides where that file is read from",
                            "Remove it from that file and set it on the command line (--" + KEY + "=...) or as AUTOPILOT_HOME.");
                }
            }
            Path home = Path.of(environment.getRequiredProperty(KEY));
            Map<String, Object> folders = new LinkedHashMap<>();
            for (String key : FOLDER_KEYS) {
                String value = environment.getProperty(key);
                if (value != null && !value.isBlank()) {
                    folders.put(key, home.resolve(value.strip()).normalize().toString());
                }
            }
            environment.getPropertySources().addFirst(new MapPropertySource("autopilotHomeFolders", folders));
        }
    }
}
