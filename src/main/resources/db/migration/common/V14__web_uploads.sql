-- Files uploaded through the web page or POST /api/files (issue 25). An upload is renamed into the inbox and taken
-- from there as any dropped file, so the ledger gives it a hash_file row only once the inbox takes it: this row is
-- the upload's own record from the moment it is acknowledged, and names its hash_file row once that exists (the
-- first row of source 'inbox' with its inbox name and content created after the upload, see web/Uploads).
CREATE TABLE web_upload (
    id            VARCHAR(36)   PRIMARY KEY,  -- the id the upload was answered with
    inbox_name    VARCHAR(1024) NOT NULL,     -- the name it was given in the inbox
    sha256        CHAR(64)      NOT NULL,
    size_bytes    BIGINT        NOT NULL,
    uploaded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    after_file_id BIGINT        NOT NULL,     -- its hash_file row is newer than this one
    file_id       BIGINT        UNIQUE        -- its hash_file row; NULL until the inbox took it
);
