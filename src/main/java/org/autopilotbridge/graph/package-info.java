/**
 * Microsoft Graph: tokens, the one HTTP client, retries, throttling and the budget, and the calls on imported and
 * registered Autopilot devices. It knows nothing of files or the ledger's tables.
 */
package org.autopilotbridge.graph;
