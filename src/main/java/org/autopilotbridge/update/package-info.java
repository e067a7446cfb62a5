/**
 * The update stage: re-tagging and re-assigning registered Autopilot devices as their lines ask, and the outcome
 * and words each line ends with.
 */
package org.autopilotbridge.update;
