-- Several customer tenants from one service (autopilot.tenants): every file, batch, device, update and followed
-- profile belongs to one tenant, and every rule that finds "the same" device or file looks within that tenant only.
-- Graph's throttling (per app and tenant), what was learned about Graph and the Autopilot sync are kept per tenant.
-- What the ledger held before belongs to the one tenant of a single-tenant service, named 'default'.
ALTER TABLE hash_file ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
ALTER TABLE import_batch ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
ALTER TABLE device ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
ALTER TABLE device_update ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
ALTER TABLE profile_follow ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;

CREATE INDEX device_tenant_serial ON device (tenant, serial_key, outcome);
DROP INDEX device_serial_outcome;
CREATE INDEX hash_file_tenant_sha256 ON hash_file (tenant, sha256);
DROP INDEX hash_file_sha256;
CREATE INDEX import_batch_tenant_due ON import_batch (tenant, status, next_poll_at);

CREATE TABLE tenant_throttle (
    tenant     VARCHAR(40) PRIMARY KEY,
    hold_until TIMESTAMP WITH TIME ZONE
);
INSERT INTO tenant_throttle (tenant, hold_until) SELECT 'default', hold_until FROM graph_throttle;
DROP TABLE graph_throttle;

ALTER TABLE graph_spend ADD COLUMN tenant VARCHAR(40) DEFAULT 'default' NOT NULL;
CREATE INDEX graph_spend_tenant_at ON graph_spend (tenant, spent_at);
DROP INDEX graph_spend_at;

CREATE TABLE tenant_sync (
    tenant       VARCHAR(40) PRIMARY KEY,
    requested_at TIMESTAMP WITH TIME ZONE,
    last_sync_at TIMESTAMP WITH TIME ZONE,
    next_try_at  TIMESTAMP WITH TIME ZONE,
    last_result  VARCHAR(2000)
);
INSERT INTO tenant_sync (tenant, requested_at, last_sync_at, next_try_at, last_result)
    SELECT 'default', requested_at, last_sync_at, next_try_at, last_result FROM autopilot_sync;
DROP TABLE autopilot_sync;

CREATE TABLE tenant_graph_behaviour (
    tenant     VARCHAR(40)   NOT NULL,
    name       VARCHAR(64)   NOT NULL,
    learned    VARCHAR(64)   NOT NULL,
    learned_at TIMESTAMP WITH TIME ZONE NOT NULL,
    detail     VARCHAR(2000),
    PRIMARY KEY (tenant, name)
);
INSERT INTO tenant_graph_behaviour (tenant, name, learned, learned_at, detail)
    SELECT 'default', name, learned, learned_at, detail FROM graph_behaviour;
DROP TABLE graph_behaviour;
