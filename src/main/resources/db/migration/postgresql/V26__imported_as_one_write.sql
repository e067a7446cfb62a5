-- A batch whose import settled keeps its imported devices' outcome as one value, instead of one row write per device
-- (see BatchLedger#batchSettled): how many of its device rows, those without an outcome of their own, are imported,
-- and their registration ids as GraphAnswer encodes them. Every other outcome is still written on the device's row.
ALTER TABLE import_batch ADD COLUMN imported_unwritten INT DEFAULT 0 NOT NULL;
ALTER TABLE import_batch ADD COLUMN registration_ids TEXT;
