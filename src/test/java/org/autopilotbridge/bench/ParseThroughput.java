package org.autopilotbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ingest.DeviceRowValidator;
import org.autopilotbridge.ledger.RecordedLine;

/**
 * Parse + validate + transform on one thread, with the service's own classes: the streaming CSV reader, the row
 * validator, and the device JSON that goes into an import call. The ledger is left out; it is measured end to end.
 */
final class ParseThroughput {

    record Figures(long rows, long rejected, long jsonBytes, double bestRowsPerSecond, double medianRowsPerSecond) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private ParseThroughput() {
    }

    /** One warm-up pass, then {@code runs} timed passes over the whole file. */
    static Figures measure(Path file, int runs) throws IOException {
        pass(file);
        double[] rates = new double[runs];
        Pass last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = pass(file);
            rates[i] = last.rows() / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        return new Figures(last.rows(), last.rejected(), last.jsonBytes(), rates[runs - 1], rates[runs / 2]);
    }

    private record Pass(long rows, long rejected, long jsonBytes) {
    }

    private static Pass pass(Path file) throws IOException {
        DeviceRowValidator validator = new DeviceRowValidator();
        long rows = 0;
        long rejected = 0;
        long bytes = 0;
        try (HashFileReader reader = HashFileReader.open(file)) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(1000); chunks.hasNext(); ) {
                for (DeviceRow row : chunks.next()) {
                    RecordedLine line = validator.validate(row, "bench");
                    rows++;
                    if (line.outcome() != null) {
                        rejected++;
                        continue;
                    }
                    bytes += JSON.writeValueAsBytes(ImportedDeviceIdentity.toImport(line.serialNumber(), line.hardwareHash(),
                            line.productKey(), line.groupTag(), line.assignedUser(), "apb-bench")).length;
                }
            }
        }
        return new Pass(rows, rejected, bytes);
    }
}
