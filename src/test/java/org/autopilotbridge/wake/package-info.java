/** Tests of how the stages are woken and work on their batches. */
package org.autopilotbridge.wake;
