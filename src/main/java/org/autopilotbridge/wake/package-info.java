/**
 * The wake-up plumbing the routes share: the {@code wake:} endpoint a route sends to and the timed wake-ups, and the
 * workers a stage drains its batches with.
 */
package org.autopilotbridge.wake;
