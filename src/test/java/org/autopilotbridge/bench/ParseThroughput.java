package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.graph.HardwareHash;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ingest.HashFileIngest;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ledger.LedgerOnDisk;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * The inbox route's work on one thread, with the service's own classes: the streaming CSV reader and the row
 * validator, then either
 * <ul>
 *   <li>transform: the device JSON that goes into an import call, or</li>
 *   <li>record: the lines into the service's ledger (its H2 database, schema and {@code DeviceLedger}, in a fresh
 *       folder per pass), a chunk of lines per transaction as the inbox route records them, or</li>
 *   <li>spool: only their hashes into the service's hash spool ({@code HashSpool}, appended and forced to disk a chunk
 *       at a time, as recording does before each commit): what recording would cost with the database's part free.</li>
 * </ul>
 * The rate is lines per second over the whole file, best and median of the timed passes after a warm-up.
 */
final class ParseThroughput {

    record Rate(double best, double median) {
    }

    record Figures(long rows, long rejected, Rate transform, Rate record, Rate spool) {
    }

    /** As the inbox route records them. */
    static final int CHUNK = HashFileIngest.CHUNK_SIZE;
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private ParseThroughput() {
    }

    /**
     * Transform passes over {@code file} ({@code runs} timed after one warm-up), then record and spool passes
     * ({@code recordRuns} each, timed after a warm-up on {@code warmUpFile}), each into a fresh folder under {@code work}.
     */
    static Figures measure(Path file, Path warmUpFile, int runs, int recordRuns, Path work) throws IOException {
        transform(file);
        double[] transform = new double[runs];
        Pass last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = transform(file);
            transform[i] = last.rows() / ((System.nanoTime() - start) / 1e9);
        }
        return new Figures(last.rows(), last.rejected(), rate(transform), stored(file, warmUpFile, recordRuns, work, true),
                stored(file, warmUpFile, recordRuns, work, false));
    }

    private static Rate stored(Path file, Path warmUpFile, int runs, Path work, boolean intoLedger) throws IOException {
        record(warmUpFile, work, intoLedger);
        double[] passes = new double[runs];
        for (int i = 0; i < runs; i++) {
            passes[i] = record(file, work, intoLedger);
        }
        return rate(passes);
    }

    private static Rate rate(double[] passes) {
        double[] sorted = passes.clone();
        Arrays.sort(sorted);
        return new Rate(sorted[sorted.length - 1], sorted[sorted.length / 2]);
    }

    private record Pass(long rows, long rejected) {
    }

    private static Pass transform(Path file) throws IOException {
        DeviceRowValidator validator = new DeviceRowValidator();
        long rows = 0;
        long rejected = 0;
        try (HashFileReader reader = HashFileReader.open(file)) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(CHUNK); chunks.hasNext(); ) {
                for (DeviceRow row : chunks.next()) {
                    RecordedLine line = validator.validate(row, "bench");
                    rows++;
                    if (line.outcome() != null) {
                        rejected++;
                        continue;
                    }
                    JSON.writeValueAsBytes(ImportedDeviceIdentity.toImport(line.serialNumber(), HardwareHash.of(line.hardwareHash()),
                            line.productKey(), line.groupTag(), line.assignedUser(), "apb-bench"));
                }
            }
        }
        return new Pass(rows, rejected);
    }

    /**
     * Returns the lines recorded per second, from opening the file to the last commit (the ledger is opened and
     * its schema made before, as at the service's start), or with {@code intoLedger} false to the last hash forced
     * into the spool. The folder is deleted afterwards.
     */
    private static double record(Path file, Path work, boolean intoLedger) throws IOException {
        DeviceRowValidator validator = new DeviceRowValidator();
        Path folder = Files.createTempDirectory(Files.createDirectories(work), "ledger-");
        long rows = 0;
        long start;
        long end;
        try (LedgerOnDisk ledger = intoLedger ? new LedgerOnDisk(folder) : null) {
            HashSpool spool = ServiceFolders.hashSpool(folder);
            start = System.nanoTime();
            try (HashFileReader reader = HashFileReader.open(file)) {
                long fileId = intoLedger ? ledger.startFile(file.getFileName().toString(), Files.size(file)) : 1;
                for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(CHUNK); chunks.hasNext(); ) {
                    List<RecordedLine> lines = new ArrayList<>(CHUNK);
                    for (DeviceRow row : chunks.next()) {
                        lines.add(validator.validate(row, "bench"));
                    }
                    if (intoLedger) {
                        ledger.recordLines(fileId, lines);
                    } else {
                        spool.append(fileId, lines.stream().map(RecordedLine::hardwareHash).toArray(String[]::new));
                    }
                    rows += lines.size();
                }
            }
            end = System.nanoTime();
        } finally {
            Benchmark.deleteTree(folder);
        }
        return rows / ((end - start) / 1e9);
    }
}
