package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.AutopilotBridgeApplication;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.HeadlessChromium;
import org.autopilotbridge.testing.ServiceFolders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The files page as an admin meets it, in headless Chromium against the real service and the strict Graph stand-in:
 * logs in, uploads a file with the picker and drops another on the page, watches both end without reloading, reads a
 * file's lines by outcome and downloads its results. Saves the screenshots docs/web.md shows into target/ (copied to
 * docs/ by hand when the page changes, so that a test run never edits the checkout).
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"autopilot.console.user=ops", "autopilot.console.password=" + FilesPageIT.PASSWORD})
@DirtiesContext
class FilesPageIT {

    static final String PASSWORD = "files-page-pw-93ad";
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final GraphStandIn GRAPH = new GraphStandIn("files-page-secret-" + UUID.randomUUID());
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Random random = new Random(2025);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FOLDERS.register(registry);
        GRAPH.register(registry, true);
        registry.add("autopilot.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stopGraph() {
        GRAPH.close();
    }

    @Test
    void uploadsWatchesTheFilesEndAndDownloadsTheResults() throws Exception {
        FOLDERS.importDevices("dropped-by-share.csv", random, "SHARE-1", "SHARE-2");
        Path picked = Files.write(FOLDERS.root().resolve("contoso-fleet.csv"), fleet());
        Path downloads = Files.createDirectories(FOLDERS.root().resolve("downloads"));
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver browser = chromium.driver();
            chromium.downloadTo(downloads);
            logIn(browser, "http://127.0.0.1:" + port + "/files");

            browser.findElement(By.id("upload-files")).sendKeys(picked.toString());
            browser.findElement(By.cssSelector("#upload button[type=submit]")).sendKeys(Keys.ENTER);
            dropOnThePage(browser, "notes.csv", "Shopping list\r\nmilk\r\n");
            awaitState(browser, "contoso-fleet.csv", "finished");
            awaitState(browser, "notes.csv", "refused");

            assertThat(browser.findElement(By.id("upload-status")).getText()).contains("contoso-fleet.csv: uploaded")
                    .contains("notes.csv: uploaded");
            WebElement fleet = row(browser, "contoso-fleet.csv");
            assertThat(fleet.getText()).contains("upload").contains("imported 4").contains("other-tenant 1").contains("rejected 1");
            assertThat(row(browser, "dropped-by-share.csv").getText()).contains("inbox").contains("imported 2");
            assertThat(row(browser, "notes.csv").findElement(By.linkText("why refused")).getAttribute("href")).endsWith("#reason");
            chromium.screenshot(Path.of("target", "web-files.png"));

            fleet.findElement(By.linkText("contoso-fleet.csv")).click();
            Awaitility.await("the file's lines").atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector("#lines tbody tr")).size() == 6);
            chromium.screenshot(Path.of("target", "web-file.png"));
            // By keyboard: typing an option's name chooses it, Enter sends the form.
            browser.findElement(By.id("outcome")).sendKeys("other-tenant");
            browser.findElement(By.cssSelector("form.filter button")).sendKeys(Keys.ENTER);
            Awaitility.await("the lines filtered").atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector("#lines tbody tr")).size() == 1);
            assertThat(browser.findElement(By.cssSelector("#lines tbody tr")).getText()).contains("FLEET-5-R808-").contains("808");

            browser.findElement(By.linkText("results")).click();
            Path downloaded = downloads.resolve("contoso-fleet.csv.results.csv");
            Awaitility.await("the results downloaded").atMost(PATIENCE).until(() -> Files.exists(downloaded));
            assertThat(downloaded).hasSameBinaryContentAs(FOLDERS.done().resolve("contoso-fleet.csv.results.csv"));
            browser.get("http://127.0.0.1:" + port + "/files");
            row(browser, "notes.csv").findElement(By.linkText("why refused")).click();
            assertThat(browser.findElement(By.id("reason")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.cssSelector("p.reason")).getText()).contains("Hardware Hash");
        }
    }

    private byte[] fleet() {
        List<String> lines = new ArrayList<>(List.of("Device Serial Number,Hardware Hash,Group Tag"));
        for (String serial : List.of("FLEET-1", "FLEET-2", "FLEET-3", "FLEET-4", "FLEET-5-R808-")) {
            lines.add(serial + "," + HashFiles.hash(random) + ",Kiosk");
        }
        lines.add("FLEET-6,not-a-hash,Kiosk");
        return HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM);
    }

    private static void logIn(WebDriver browser, String page) {
        browser.get(page);
        Awaitility.await("login form").atMost(PATIENCE).until(() -> !browser.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys("ops");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        Awaitility.await("the files page").atMost(PATIENCE).until(() -> !browser.findElements(By.id("upload-files")).isEmpty());
    }

    /** What a drag from the file manager delivers: a drop event whose data holds the file. */
    private static void dropOnThePage(WebDriver browser, String name, String content) {
        ((JavascriptExecutor) browser).executeScript("""
                const data = new DataTransfer();
                data.items.add(new File([arguments[1]], arguments[0], {type: 'text/csv'}));
                const zone = document.getElementById('upload-zone');
                zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
                zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));""", name, content);
    }

    /** Waits, without reloading (the page refreshes itself), until the file's row shows the state. */
    private static void awaitState(WebDriver browser, String name, String state) {
        Awaitility.await(name + " " + state).atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> row(browser, name).findElement(By.cssSelector(".state")).getText().equals(state));
    }

    private static WebElement row(WebDriver browser, String name) {
        return browser.findElement(By.xpath("//tbody/tr[th/a[normalize-space()='" + name + "']]"));
    }
}
