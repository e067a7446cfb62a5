/**
 * The customer tenants the service imports into: one (autopilot.tenant-id) or several (autopilot.tenants), each
 * resolved once at start with its own credential, cloud, group tag, Graph budget and folders.
 */
package org.autopilotbridge.tenant;
