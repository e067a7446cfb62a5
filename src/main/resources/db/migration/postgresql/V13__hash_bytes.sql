-- A hash is base64 text, ASCII only: kept as its bytes, as on H2 (see h2/V13), so that one mapping reads both.
ALTER TABLE device_hash ALTER COLUMN hardware_hash TYPE BYTEA USING convert_to(hardware_hash, 'UTF8');
