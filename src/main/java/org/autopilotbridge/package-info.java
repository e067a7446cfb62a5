/**
 * The application and its whole {@code autopilot.*} configuration: {@link org.autopilotbridge.AutopilotProperties}
 * (one Javadoc per key, the source of docs/configuration.md) and the limits Graph sets on a device line.
 */
package org.autopilotbridge;
