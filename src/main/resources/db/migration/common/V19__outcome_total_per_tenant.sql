-- The totals of finished files' devices per tenant, so that the metrics and the MBean count each tenant's devices
-- (FileLedger.fileFinished adds to its file's tenant's rows). What was counted before belongs to 'default', as in V18.
-- A new table renamed, rather than a changed primary key: that runs alike on H2 and PostgreSQL.
CREATE TABLE outcome_total_per_tenant (
    tenant  VARCHAR(40) NOT NULL,
    outcome VARCHAR(30) NOT NULL,
    devices BIGINT NOT NULL,
    PRIMARY KEY (tenant, outcome)
);
INSERT INTO outcome_total_per_tenant (tenant, outcome, devices) SELECT 'default', outcome, devices FROM outcome_total;
DROP TABLE outcome_total;
ALTER TABLE outcome_total_per_tenant RENAME TO outcome_total;
