/**
 * The benchmark ({@code mvn -B -Pbench verify}): the packaged service against the Graph stand-in, alone and as a
 * cluster, with the figures docs/performance.md reports. Not a test: nothing here asserts a speed.
 */
package org.autopilotbridge.bench;
