/**
 * What ops see and use: incidents logged once, metrics, JMX, health entries, the console's login
 * ({@code autopilot.console.*}) and the text guards for log lines and file names.
 */
package org.autopilotbridge.ops;
