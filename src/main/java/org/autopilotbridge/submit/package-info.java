/**
 * The submit stage (routes/30-submit): sends the devices ingest recorded to Graph's import, a batch at a time.
 */
package org.autopilotbridge.submit;
