package org.autopilotbridge.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.util.FileSystemUtils;

/**
 * Chromium and chromedriver found on the PATH as .ci/run finds them (it installs Debian's when missing), headless, with a fresh profile and none of the
 * background traffic that a closed network refuses.
 */
public final class HeadlessChromium implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static HeadlessChromium start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(onPath("chromium").toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(onPath("chromedriver").toFile())
                .usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    /** The first executable {@code name} in the PATH's folders, as {@code command -v} finds it. */
    private static Path onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on the PATH: .ci/run installs Debian's chromium and "
                        + "chromium-driver"));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Saves what the browser downloads into {@code folder}, under the name the server gives. */
    public void downloadTo(Path folder) {
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", folder.toAbsolutePath().toString()));
    }

    /** Saves what the browser shows as a PNG. */
    public Path screenshot(Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            return Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        FileSystemUtils.deleteRecursively(profile);
    }
}
