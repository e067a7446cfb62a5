/**
 * Tests of the update stage: the outcome and words each update line ends with.
 */
package org.autopilotbridge.update;
