package org.autopilotbridge.csv;

/**
 * The file cannot be used from some point on (empty, binary, no recognisable header, a runaway line): when nothing
 * of it could be read it goes to dead-letter whole. Unchecked, because it can surface while the file's lines are
 * streamed.
 */
public class UnreadableHashFileException extends RuntimeException {

    private final long line;

    public UnreadableHashFileException(String reason) {
        this(0, reason);
    }

    public UnreadableHashFileException(long line, String reason) {
        super(reason);
        this.line = line;
    }

    /** The physical line where reading stopped; 0 when the file as a whole is unusable. */
    public long line() {
        return line;
    }
}
