package org.autopilotbridge.csv;

/**
 * The file as a whole cannot be used (empty, binary, no recognisable header, a runaway line): it goes to
 * dead-letter whole. Unchecked, because it can surface while the file's lines are streamed.
 */
public class UnreadableHashFileException extends RuntimeException {

    public UnreadableHashFileException(String reason) {
        super(reason);
    }
}
