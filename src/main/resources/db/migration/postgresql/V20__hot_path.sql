-- Graph's answer to a batch's import call, the Graph id of each of its devices, as one value on the batch (see h2/V17
-- and GraphAnswer) instead of one row write per device. (H2's id cache, the other half of h2/V17, is H2's alone.)
ALTER TABLE import_batch ADD COLUMN graph_ids TEXT;
