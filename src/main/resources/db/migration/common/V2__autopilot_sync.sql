-- The Autopilot sync is requested by finished files and carried out at most once per 10 minutes for the whole
-- tenant, so its state is one row: whether a sync is wanted, when the last one went through, when to try next.
CREATE TABLE autopilot_sync (
    id           INT PRIMARY KEY,
    requested_at TIMESTAMP WITH TIME ZONE,
    last_sync_at TIMESTAMP WITH TIME ZONE,
    next_try_at  TIMESTAMP WITH TIME ZONE,
    last_result  VARCHAR(2000)
);
INSERT INTO autopilot_sync (id) VALUES (1);
