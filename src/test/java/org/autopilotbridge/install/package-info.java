/**
 * Tests of the start-up refusals about the installation and its configuration.
 */
package org.autopilotbridge.install;
