/**
 * Several instances on one ledger: this instance's leases and sign of life, the work an instance that died left,
 * taken over by the living (each stage's own, as {@link org.autopilotbridge.cluster.OrphanedWork}), the inbox's read
 * lock, and what ops see of the others. A single instance runs the same code. It depends on no stage.
 */
package org.autopilotbridge.cluster;
