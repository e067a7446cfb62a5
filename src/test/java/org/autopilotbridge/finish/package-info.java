/**
 * Tests of the finish stage: reports forced to disk before they count, and two instances finishing files of the
 * same name at once, each keeping its own.
 */
package org.autopilotbridge.finish;
