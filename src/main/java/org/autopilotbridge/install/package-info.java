/**
 * The installation the service starts in: {@code autopilot.home}, the work folders and the other files the
 * configuration names (resolved against the home), the routes it must have, and
 * refusals that name the setting and the fix. It depends on no stage.
 */
package org.autopilotbridge.install;
