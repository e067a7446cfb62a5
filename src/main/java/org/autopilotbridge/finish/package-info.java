/**
 * The finish stage (routes/50-finish): the files an admin reads: results in done, refused files and failed lines in
 * dead-letter, written whole or not at all, and how a file ended for notify.
 */
package org.autopilotbridge.finish;
