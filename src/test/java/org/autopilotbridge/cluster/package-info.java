/**
 * Tests of the cluster package: the inbox read lock raced by several instances on a real PostgreSQL.
 */
package org.autopilotbridge.cluster;
