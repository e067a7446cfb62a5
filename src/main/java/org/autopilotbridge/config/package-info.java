/**
 * The {@code autopilot.*} configuration, one properties class per concern (tenant, Graph, retry, folders, import,
 * updates, vendors, cluster; notify and console live with their stages), each key documented once in its field's
 * Javadoc, the source of docs/configuration.md; and the limits Graph sets on a device line.
 */
package org.autopilotbridge.config;
