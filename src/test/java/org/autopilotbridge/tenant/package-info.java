/**
 * Tests of how the tenants are resolved from the configuration.
 */
package org.autopilotbridge.tenant;
