/**
 * The sync stage (routes/70-sync): asks Intune for an Autopilot sync when finish saw new devices, at most as often as
 * Graph allows.
 */
package org.autopilotbridge.sync;
