-- Hardware hashes leave the ledger for a spool file per hash file (HashSpool): a device row says where its hash is,
-- as the byte it starts at and its length. The hashes of files in flight are moved there by V23 (HashesToSpool).
ALTER TABLE device ADD COLUMN hash_at BIGINT;
ALTER TABLE device ADD COLUMN hash_length INTEGER;
