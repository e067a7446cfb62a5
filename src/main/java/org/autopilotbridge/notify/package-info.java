/**
 * The notify stage: who hears about finished and refused files ({@code autopilot.notify.*}), and the message sent by
 * webhook or mail.
 */
package org.autopilotbridge.notify;
