-- Updates are claimed file by file (each file with due updates gets its share of a chunk), so that a large re-tag
-- spreadsheet does not hold back the updates of the files dropped after it.
CREATE INDEX device_update_file_claim ON device_update (status, file_id, id);
