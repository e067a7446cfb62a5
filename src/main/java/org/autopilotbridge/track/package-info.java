/**
 * The submit, track, cleanup and sync stages: sending recorded devices to Graph's import, following each batch until
 * its devices settle, deleting the staged records, and the Autopilot sync.
 */
package org.autopilotbridge.track;
