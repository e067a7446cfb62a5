-- Devices of finished files by outcome, added as each file finishes (FileLedger.fileFinished): the metrics read these
-- rows and count only the lines of files in flight, instead of counting every device of the ledger at each scrape,
-- and they still count the files autopilot.retention removed.
CREATE TABLE outcome_total (
    outcome VARCHAR(30) PRIMARY KEY,
    devices BIGINT NOT NULL
);
INSERT INTO outcome_total (outcome, devices) VALUES ('IMPORTED', 0), ('UPDATED', 0), ('UNCHANGED', 0),
    ('ALREADY_REGISTERED', 0), ('NOT_REGISTERED', 0), ('OTHER_TENANT', 0), ('FAILED', 0), ('REJECTED', 0),
    ('DUPLICATE', 0), ('TIMEOUT', 0), ('VALIDATED', 0);
UPDATE outcome_total t SET devices = (SELECT COUNT(*) FROM device d JOIN hash_file f ON f.id = d.file_id
                                      WHERE f.status = 'FINISHED' AND d.outcome = t.outcome);
