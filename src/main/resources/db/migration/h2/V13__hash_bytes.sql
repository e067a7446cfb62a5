-- A hash is base64 text, ASCII only: kept as its bytes, H2 writes and reads it in one copy instead of a
-- variable-length number per character, and no longer hashes the 4,000 characters for its string cache.
ALTER TABLE device_hash ALTER COLUMN hardware_hash SET DATA TYPE VARBINARY(16386);
