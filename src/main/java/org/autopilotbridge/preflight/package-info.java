/**
 * The checks of {@code --check} and of readiness: configuration, routes, console, folders, ledger, Graph and
 * vendors, each said in one line with its fix.
 */
package org.autopilotbridge.preflight;
