/**
 * The track stage (routes/40-track): follows each submitted batch in Graph's staged records until its devices settle,
 * and what Graph's verdicts mean for a device.
 */
package org.autopilotbridge.track;
