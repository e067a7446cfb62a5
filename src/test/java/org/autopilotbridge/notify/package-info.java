/**
 * Tests of the notify stage: which files are told, and what the message says.
 */
package org.autopilotbridge.notify;
