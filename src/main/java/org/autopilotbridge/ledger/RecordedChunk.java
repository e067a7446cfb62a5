package org.autopilotbridge.ledger;

/**
 * What recording a chunk of a file's lines made ready for other stages: a batch filled to be sent, updates opened for
 * registered devices. A stage is woken for a chunk only when it has something from it.
 */
public record RecordedChunk(boolean batchFilled, boolean updatesOpened) {
}
