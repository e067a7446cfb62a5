-- H2 hands out a table's ids from a cache of 32 and, each time the cache runs out, commits the new high mark at once:
-- a store of every page changed since the last one, the open chunk's hashes included. Recording 1,000 lines stored
-- the ledger some 31 times in the middle of their transaction. A larger cache does it once per 10,000 devices. After a
-- crash the ids carry on above the cached ones (a gap, never a reuse), so ids still grow with their insert.
ALTER TABLE device ALTER COLUMN id SET CACHE 10000;

-- Graph's answer to a batch's import call, the Graph id of each of its devices, as one value on the batch (see
-- GraphAnswer) instead of one row write per device: a device's row is written once more, with its outcome and this id.
ALTER TABLE import_batch ADD COLUMN graph_ids VARCHAR(1000000);
