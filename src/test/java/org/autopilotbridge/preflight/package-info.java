/**
 * Tests of the preflight checks: folders, the roles of a token, and how often a failed vendor is tried again.
 */
package org.autopilotbridge.preflight;
