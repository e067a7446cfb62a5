/**
 * Tests of the configuration: invalid settings stop start-up, each naming its key.
 */
package org.autopilotbridge.config;
