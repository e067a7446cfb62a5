/**
 * Tests of the ledger, on H2 and on a real PostgreSQL: batches formed and claimed, leases and fencing, updates,
 * migrations, retention, report lines, and the states and words it stores.
 */
package org.autopilotbridge.ledger;
