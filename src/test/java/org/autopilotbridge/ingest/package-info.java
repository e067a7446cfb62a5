/**
 * Tests of the ingest stage: line validation, taking a file out of its folder, the inbox read lock on real files,
 * and recovery of a read a dead reader left.
 */
package org.autopilotbridge.ingest;
