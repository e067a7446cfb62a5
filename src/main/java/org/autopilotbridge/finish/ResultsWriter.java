package org.autopilotbridge.finish;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.csv.CsvRecord;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.graph.HardwareHash;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.FollowedProfile;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ProfileLedger;
import org.autopilotbridge.ledger.ProfileStatus;
import org.autopilotbridge.ledger.ReportLines;
import org.autopilotbridge.ledger.ReportNames;
import org.autopilotbridge.ledger.ResultLine;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.SafeNames;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Closes a file whose every line is final: {@code <name>.results.csv} in done with one row per data line, the
 * lines that did not import in {@code dead-letter/<name>.failed.csv} (original columns plus Error, ready to be
 * fixed and dropped again), in a dry run the identity JSON that would have been sent, and the original in done;
 * done and dead-letter are the file's tenant's.
 */
@Component("resultsWriter")
public class ResultsWriter {

    static final String RESULTS_SUFFIX = ".results.csv";
    static final String FAILED_SUFFIX = ".failed.csv";
    static final String IDENTITIES_SUFFIX = ".identities.json";
    /** The registered device's id comes last, so that readers of the earlier columns keep working. */
    static final List<String> RESULTS_HEADER = List.of("Line", "Device Serial Number", "Outcome", "Error Code", "Error Name",
            "Detail", "Autopilot Device Id");
    /**
     * Only with autopilot.profile-wait set, after the others: with it off the results stay as they were, for readers
     * that expect exactly those columns.
     */
    static final List<String> PROFILE_HEADER = List.of("Profile Status", "Deployment Profile");

    private static final Logger LOG = LoggerFactory.getLogger(ResultsWriter.class);

    private final Tenants tenants;
    private final FileLedger files;
    private final ReportNames names;
    private final DeviceLedger devices;
    private final ReportLines lines;
    private final ObjectMapper json;
    private final Incidents incidents;
    private final ServiceEvents events;
    private final ReportFiles reports;
    private final ProfileLedger profiles;

    ResultsWriter(Tenants tenants, FileLedger files, ReportNames names, DeviceLedger devices, ReportLines lines,
                  ObjectMapper json, Incidents incidents, ServiceEvents events, ReportFiles reports, ProfileLedger profiles) {
        this.reports = reports;
        this.profiles = profiles;
        this.tenants = tenants;
        this.files = files;
        this.names = names;
        this.devices = devices;
        this.lines = lines;
        this.json = json;
        this.incidents = incidents;
        this.events = events;
    }

    /**
     * Where a finished file's results file is: in done, or beside the original in dead-letter when the file could not
     * be read to its end ({@code unreadable}).
     */
    public static Path resultsFile(Path done, Path deadLetter, String source, String reportName, boolean unreadable)
            throws IOException {
        return SafeNames.resolveInside(ReportFiles.folderFor(unreadable ? deadLetter : done, source), reportName + RESULTS_SUFFIX);
    }

    /** Where a finished file's failed rows are, if any of its lines needs action. */
    public static Path failedRowsFile(Path deadLetter, String source, String reportName) throws IOException {
        return SafeNames.resolveInside(ReportFiles.folderFor(deadLetter, source), reportName + FAILED_SUFFIX);
    }

    /**
     * Writes the file's reports and moves it to done; returns how it ended, or null if it cannot be finished yet.
     * The results file comes last, so whoever sees it finds everything else in place. The name is reserved in the
     * ledger for this file before anything is written, so another file of the same name finishing at the same moment
     * (on another thread or instance) takes another name, and finishing again after a crash overwrites its own partial
     * output instead of starting a second set.
     */
    public FileReport finish(HashFile file) {
        String incident = "finish:" + file.id();
        try {
            FileReport report = writeReports(file);
            if (incidents.ended(incident)) {
                LOG.info("{} could be finished after all", file.name());
            }
            return report;
        } catch (IOException | UncheckedIOException e) {
            files.release(file.id());
            if (incidents.started(incident, e.toString())) {
                events.error("cannot finish " + file.name() + ": " + e);
                LOG.error("Cannot finish {} (file #{}): {}. It stays in processing and is finished as soon as done and "
                        + "dead-letter can be written.", file.name(), file.id(), e.toString());
            }
            return null;
        } catch (RuntimeException e) {
            files.release(file.id());
            throw e;
        }
    }

    private FileReport writeReports(HashFile file) throws IOException {
        Tenant.Folders folders = tenants.get(file.tenant()).folders();
        Path done = ReportFiles.folderFor(folders.done(), file.source());
        Path deadLetter = ReportFiles.folderFor(folders.deadLetter(), file.source());
        // A file that could not be read to its end goes to dead-letter, its results beside it.
        boolean unreadable = file.unreadFrom() != null;
        Path home = Files.createDirectories(unreadable ? deadLetter : done);
        String name = file.reportName();
        if (name == null) {
            name = ReportFiles.freeName(file.name(), n -> Files.exists(home.resolve(n))
                    || Files.exists(home.resolve(n + RESULTS_SUFFIX)) || Files.exists(home.resolve(n + IDENTITIES_SUFFIX))
                    || Files.exists(deadLetter.resolve(n + FAILED_SUFFIX))
                    || Files.exists(deadLetter.resolve(n + DeadLetter.ERROR_SUFFIX))
                    || !names.reserve(file.id(), file.source(), n));
            names.nameReports(file.id(), name);
        }
        Path stored = file.storedPath() == null ? null : Path.of(file.storedPath());
        boolean original = stored != null && Files.exists(stored);

        if (file.dryRun()) {
            reports.write(SafeNames.resolveInside(home, name + IDENTITIES_SUFFIX), out -> writeIdentities(file, out));
        }
        Map<Outcome, Integer> counts = devices.outcomeCounts(file.id());
        Map<ProfileStatus, Integer> profileCounts = profiles.statusCounts(file.id());
        int failed = counts.entrySet().stream().filter(e -> e.getKey().deadLettered()).mapToInt(Map.Entry::getValue).sum();
        Path failedRows = failed > 0 ? SafeNames.resolveInside(deadLetter, name + FAILED_SUFFIX) : null;
        if (failedRows != null && original) {
            Files.createDirectories(deadLetter);
            reports.write(failedRows, out -> copyFailedRows(file, stored, out));
        }
        if (unreadable) {
            DeadLetter.writeReason(reports, SafeNames.resolveInside(deadLetter, name + DeadLetter.ERROR_SUFFIX), file.name(), file.source(),
                    "file unreadable from line " + file.unreadFrom() + ": " + file.statusDetail(), "The lines before line "
                            + file.unreadFrom() + " were processed: see " + name + RESULTS_SUFFIX + " beside it, and "
                            + name + FAILED_SUFFIX + " for those that need action. Fix the file from line "
                            + file.unreadFrom() + " on and drop those lines into the inbox again.");
        }
        if (original) {
            reports.place(stored, SafeNames.resolveInside(home, name));
        }
        Path results = SafeNames.resolveInside(home, name + RESULTS_SUFFIX);
        reports.write(results, out -> writeResults(file, out));
        // Finished first: a stop in between leaves hashes to drop, never a finished file read again without them.
        files.fileFinished(file.id(), counts);
        if (profiles.enabled()) {
            events.profilesFollowed(profileCounts.entrySet().stream().filter(e -> e.getKey() != ProfileStatus.ASSIGNED)
                    .mapToInt(Map.Entry::getValue).sum());
        }
        files.dropHashes(file.id());
        Duration duration = Duration.between(file.receivedAt(), Instant.now());
        LOG.info("Finished {} from {} in {} s: {}{}{}{}", file.name(), file.source(), duration.toSeconds(), summary(counts),
                profileCounts.isEmpty() ? "" : "; deployment profiles: " + summary(profileCounts, ProfileStatus::label),
                failed > 0 ? " (" + failed + " lines to dead-letter)" : "",
                unreadable ? "; unreadable from line " + file.unreadFrom() + ", so the file and its results are in dead-letter" : "");
        return FileReport.finished(file.name(), file.source(), counts, duration, results, failedRows, profileCounts, file.tenant());
    }

    private void writeResults(HashFile file, OutputStream out) throws IOException {
        boolean followed = profiles.enabled();
        try (CsvOut csv = new CsvOut(out)) {
            csv.row(followed ? concat(RESULTS_HEADER, PROFILE_HEADER) : RESULTS_HEADER);
            lines.forEachResultLine(file.id(), l -> unchecked(() -> {
                FollowedProfile profile = l.profile();
                List<String> row = List.of(Long.toString(l.line()), nullToEmpty(l.serialNumber()), l.outcome().label(),
                        nullToEmpty(l.errorCode()), nullToEmpty(l.errorName()), detail(l), nullToEmpty(l.registrationId()));
                csv.row(followed ? concat(row, profile == null ? List.of("", "")
                        : List.of(profile.status().label(), nullToEmpty(profile.name()))) : row);
            }));
        }
    }

    /** The line's detail, and why its deployment profile is not assigned where that needs action. */
    private static String detail(ResultLine line) {
        String profile = line.profile() == null ? null : line.profile().detail();
        if (profile == null) {
            return nullToEmpty(line.detail());
        }
        return line.detail() == null || line.detail().isEmpty() ? profile : line.detail() + "; " + profile;
    }

    private static List<String> concat(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    private void writeIdentities(HashFile file, OutputStream out) throws IOException {
        try (JsonGenerator gen = json.getFactory().createGenerator(out)) {
            gen.useDefaultPrettyPrinter();
            gen.writeStartArray();
            lines.forEachValidatedDevice(file.id(), (d, hash) -> unchecked(() -> json.writeValue(gen, ImportedDeviceIdentity.toImport(
                    d.serialNumber(), new HardwareHash(hash), d.productKey(), d.groupTag(), d.assignedUser(), null))));
            gen.writeEndArray();
        }
    }

    /** Merges the original file's records with the failed lines, both in line order, in one pass over each. */
    private void copyFailedRows(HashFile file, Path stored, OutputStream out) throws IOException {
        try (HashFileReader reader = HashFileReader.open(stored); CsvOut csv = new CsvOut(out)) {
            List<String> header = new ArrayList<>(reader.mapping().header());
            header.add("Error");
            csv.row(header);
            lines.forEachResultLine(file.id(), failure -> {
                if (failure.outcome().deadLettered() && (file.unreadFrom() == null || failure.line() < file.unreadFrom())) {
                    unchecked(() -> csv.row(failedRow(reader, failure, header.size() - 1)));
                }
            });
        } catch (UnreadableHashFileException e) {
            throw new IOException("the stored original of " + file.name() + " can no longer be read: " + e.getMessage(), e);
        }
    }

    /** The failed line's record from the original, padded to the header, with the reason after it. */
    private static List<String> failedRow(HashFileReader reader, ResultLine failure, int columns) {
        CsvRecord record = reader.next();
        while (record.line() < failure.line()) {
            record = reader.next();
        }
        List<String> row = new ArrayList<>(record.fields());
        while (row.size() < columns) {
            row.add("");
        }
        row.add(failure.outcome().label() + ": " + nullToEmpty(failure.detail()));
        return row;
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A write inside a ledger callback, which cannot throw IOException: {@link #finish} takes both alike. */
    private static void unchecked(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String summary(Map<Outcome, Integer> counts) {
        return summary(counts, Outcome::label);
    }

    private static <K> String summary(Map<K, Integer> counts, Function<K, String> label) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((key, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(label.apply(key)).append(' ').append(n));
        return sb.length() == 0 ? "no lines" : sb.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
