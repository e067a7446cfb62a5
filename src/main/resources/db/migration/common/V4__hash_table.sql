-- Hardware hashes move out of the device table into one of their own, keyed like the device's line. A device
-- row is read and written many times while its device is sent and followed; with a 4,000-character hash beside
-- it (and, as a CLOB, in H2's separate LOB storage) every one of those moved the hash too. A hash is read once,
-- to be sent, and deleted with its file's reports.
CREATE TABLE device_hash (
    file_id       BIGINT         NOT NULL,
    line_no       BIGINT         NOT NULL,
    hardware_hash VARCHAR(16386) NOT NULL,  -- DeviceLimits.HASH_TEXT_MAX plus the '=' padding the validator adds
    PRIMARY KEY (file_id, line_no)
);
INSERT INTO device_hash (file_id, line_no, hardware_hash)
    SELECT file_id, line_no, hardware_hash FROM device WHERE hardware_hash IS NOT NULL;
ALTER TABLE device DROP COLUMN hardware_hash;

-- Claiming the next batch reads a file's first unsent devices in line order straight from this index, instead
-- of sorting all of the file's unsent devices for every batch.
DROP INDEX device_pending;
CREATE INDEX device_pending ON device (file_id, outcome, batch_id, line_no);
