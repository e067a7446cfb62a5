-- A device this service already registered is not sent again from a later file: find it by serial.
CREATE INDEX device_serial_outcome ON device (serial_key, outcome);

-- A file whose processing fails unexpectedly is retried a bounded number of times, counted by its content
-- (SHA-256) so that renaming it does not reset the count.
CREATE TABLE ingest_attempt (
    sha256     CHAR(64) PRIMARY KEY,
    attempts   INT NOT NULL,
    last_error VARCHAR(2000),
    last_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
