package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.install.AutopilotHome;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where an installation reads its configuration and routes and writes its files: everything relative is taken from
 * autopilot.home, whatever the working directory, and a layout that cannot work stops start-up naming the setting.
 */
@ExtendWith(OutputCaptureExtension.class)
class InstallLayoutIT {

    private final Path home = ServiceFolders.create().root();

    @Test
    void takesRelativePathsFromHomeNotTheWorkingDirectoryNorTheClassPath() throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.yml"), "autopilot:\n  batch-size: 123\n  data-dir: db\n");

        try (ConfigurableApplicationContext service = start("--autopilot.inbox=drop")) {
            FolderProperties properties = service.getBean(FolderProperties.class);
            assertThat(service.getBean(GraphProperties.class).getBatchSize()).as("read from <home>/config/application.yml").isEqualTo(123);
            assertThat(properties.getDataDir()).as("'db' is also a folder on the class path").isEqualTo(home.resolve("db"));
            assertThat(properties.getInbox()).isEqualTo(home.resolve("drop"));
            assertThat(properties.getDone()).isEqualTo(home.resolve("data/done"));
            assertThat(home.resolve("db/ledger.mv.db")).exists();
            assertThat(home.resolve("drop")).isDirectory();
            assertThat(service.getEnvironment().getProperty(AutopilotHome.ROUTES_KEY)).as("no routes/ beside it: the jar's")
                    .isEqualTo(AutopilotHome.BUILT_IN_ROUTES);
            assertThat(service.getBean(CamelContext.class).getRoute("inbox")).isNotNull();
        }
        assertThat(Path.of("drop")).as("nothing in the working directory").doesNotExist();
    }

    @Test
    void prefersTheRoutesFolderBesideTheInstallation() throws IOException {
        copyRoutes("10-inbox.camel.yaml", "15-vendors.camel.yaml", "20-ingest.camel.yaml", "30-submit.camel.yaml", "40-track.camel.yaml",
                "45-update.camel.yaml", "47-profile.camel.yaml", "50-finish.camel.yaml", "60-cleanup.camel.yaml", "70-sync.camel.yaml",
                "85-backstop.camel.yaml", "87-retention.camel.yaml", "90-errors.camel.yaml");

        try (ConfigurableApplicationContext service = start()) {
            assertThat(service.getEnvironment().getProperty(AutopilotHome.ROUTES_KEY))
                    .isEqualTo("file:" + home.resolve("routes") + "/*.yaml");
            assertThat(service.getBean(CamelContext.class).getRoutes()).hasSize(11);
        }
    }

    @Test
    void refusesToStartWhenNoRouteFileIsFound(CapturedOutput output) {
        refused(output, "No route file matches camel.main.routes-include-pattern = file:/nowhere/*.yaml",
                "--camel.main.routes-include-pattern=file:/nowhere/*.yaml");
    }

    @Test
    void refusesRouteFilesThatHoldNoRoute(CapturedOutput output) throws IOException {
        Files.createDirectories(home.resolve("routes"));
        Files.writeString(home.resolve("routes/empty.yaml"), "[]\n");

        refused(output, "No route was loaded from camel.main.routes-include-pattern = file:" + home.resolve("routes") + "/*.yaml");
    }

    @Test
    void refusesARoutesFolderThatLacksSomeOfTheRoutes(CapturedOutput output) throws IOException {
        copyRoutes("10-inbox.camel.yaml", "20-ingest.camel.yaml");

        refused(output, "lack submit, track, update, profile, finish, cleanup, sync");
    }

    @Test
    void refusesAFolderThatCannotBeCreated(CapturedOutput output) throws IOException {
        Files.writeString(home.resolve("mount"), "a file where a folder should be");

        refused(output, "autopilot.done (" + home.resolve("mount/done") + ") cannot be created or written",
                "--autopilot.done=mount/done");
        assertThat(output.getAll()).contains("give the service's user write access").doesNotContain("\tat org.");
    }

    @Test
    void refusesAHomeThatIsNotAFolder(CapturedOutput output) {
        refused(output, "autopilot.home (" + home.resolve("missing") + ") is not a folder",
                "--autopilot.home=" + home.resolve("missing"));
    }

    @Test
    void refusesAHomeSetInAConfigurationFileWhereItWouldBeIgnored(CapturedOutput output) throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.yml"), "autopilot:\n  home: /srv/elsewhere\n");

        refused(output, "autopilot.home is set in Config resource 'file [" + home.resolve("config/application.yml") + "]");
    }

    private void copyRoutes(String... names) throws IOException {
        Files.createDirectories(home.resolve("routes"));
        for (String name : names) {
            Files.copy(Path.of("routes", name), home.resolve("routes").resolve(name));
        }
    }

    private ConfigurableApplicationContext start(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--camel.main.run-controller=false", "--server.port=0",
                "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false"));
        all.addAll(List.of(arguments));
        if (all.stream().noneMatch(a -> a.startsWith("--autopilot.home="))) {
            all.add("--autopilot.home=" + home);
        }
        return SpringApplication.run(AutopilotBridgeApplication.class, all.toArray(String[]::new));
    }

    private void refused(CapturedOutput output, String description, String... arguments) {
        assertThatThrownBy(() -> start(arguments).close()).isInstanceOf(Exception.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(description);
    }
}
