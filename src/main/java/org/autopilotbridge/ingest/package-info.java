/**
 * The ingest stage: taking a dropped or fetched file, validating its lines and recording them in the ledger, and the
 * vendor SFTP routes that fetch files.
 */
package org.autopilotbridge.ingest;
