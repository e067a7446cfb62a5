-- A file that turns out to be unusable part-way keeps what was read before: the line from which it could not be
-- read is kept with the file (NULL: read to its end), and its reports go to dead-letter beside the original.
ALTER TABLE hash_file ADD COLUMN unread_from BIGINT;
