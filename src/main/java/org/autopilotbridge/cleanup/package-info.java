/**
 * The cleanup stage (routes/60-cleanup): deletes the staged import records of settled batches from Graph.
 */
package org.autopilotbridge.cleanup;
