-- The names being given to files' reports and originals in done and dead-letter (issue 20): two files of the same
-- name finishing at the same moment, on two threads or two instances, never take the same name. A name is held from
-- the moment it is chosen until the file's reports are on disk, which hold it from then on.
CREATE TABLE report_name (
    source  VARCHAR(200)  NOT NULL,
    name    VARCHAR(1024) NOT NULL,
    file_id BIGINT,                  -- NULL for a file refused whole, held while it is moved to dead-letter
    PRIMARY KEY (source, name)
);
