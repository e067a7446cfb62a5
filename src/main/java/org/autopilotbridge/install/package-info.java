/**
 * The installation the service starts in: {@code autopilot.home}, the work folders, the routes it must have, and
 * refusals that name the setting and the fix. It depends on no stage.
 */
package org.autopilotbridge.install;
