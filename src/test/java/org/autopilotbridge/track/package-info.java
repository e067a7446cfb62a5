/**
 * Tests of the track stage: what Graph's verdicts mean for a device, and how staged records are matched to lines.
 */
package org.autopilotbridge.track;
