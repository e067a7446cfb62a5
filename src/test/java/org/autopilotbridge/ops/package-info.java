/**
 * Tests of the text guards ops rely on: file names that stay names.
 */
package org.autopilotbridge.ops;
