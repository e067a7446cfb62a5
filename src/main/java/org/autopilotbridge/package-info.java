/**
 * The application: its main class, started on its own or as the preflight command.
 */
package org.autopilotbridge;
