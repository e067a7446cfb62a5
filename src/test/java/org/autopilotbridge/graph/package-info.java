/**
 * Tests of the Graph client: credentials, the gate that holds calls back after a 429, retries, next links and the
 * JSON of a device.
 */
package org.autopilotbridge.graph;
