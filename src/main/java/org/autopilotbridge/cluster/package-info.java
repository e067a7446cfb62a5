/**
 * Several instances on one ledger: this instance's leases and sign of life, the inbox's read lock, and what ops see
 * of the others. A single instance runs the same code.
 */
package org.autopilotbridge.cluster;
