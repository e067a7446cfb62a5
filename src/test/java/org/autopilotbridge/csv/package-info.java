/**
 * Tests of reading hash files: every encoding, header and line ending, properties over generated input, and a
 * file read in a JVM with a small heap.
 */
package org.autopilotbridge.csv;
