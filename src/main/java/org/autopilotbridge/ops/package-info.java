/**
 * What every stage uses to tell ops: incidents logged once, service events, the console's login
 * ({@code autopilot.console.*}) and the text guards for log lines and file names.
 */
package org.autopilotbridge.ops;
