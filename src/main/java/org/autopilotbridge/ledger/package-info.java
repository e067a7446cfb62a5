/**
 * The ledger: every table the stages keep their work in (files, lines, batches, updates, instances, the tenant), in
 * H2 or PostgreSQL, so that a restart picks up where the service stopped. Stages call it; it calls no stage.
 */
package org.autopilotbridge.ledger;
