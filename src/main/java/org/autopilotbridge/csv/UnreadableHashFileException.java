package org.autopilotbridge.csv;

/** The file as a whole cannot be used (empty, binary, no recognisable header): it goes to dead-letter whole. */
public class UnreadableHashFileException extends Exception {

    public UnreadableHashFileException(String reason) {
        super(reason);
    }
}
