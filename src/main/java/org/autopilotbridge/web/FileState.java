package org.autopilotbridge.web;

import java.util.Locale;

import org.autopilotbridge.ledger.FileStatus;

/** Where a file is, in the words the page and the API use. */
enum FileState {
    /** Uploaded, and waiting in the inbox to be taken. */
    WAITING("in the inbox, not read yet"),
    READING("its lines are being read and recorded"),
    IMPORTING("lines are still to be sent to Graph"),
    FOLLOWING("every line was sent; Graph's answers and updates are being followed"),
    FINISHED("every line is final and the results are written"),
    REFUSED("not a hash file, or not readable at all: nothing of it was imported");

    private final String meaning;

    FileState(String meaning) {
        this.meaning = meaning;
    }

    /**
     * The state of a file the ledger knows, from its status, how many of its lines wait for a batch, and whether a
     * batch of it waits to be sent or is being sent.
     */
    static FileState of(FileStatus ledgerStatus, long unsentLines, boolean sending) {
        return switch (ledgerStatus) {
            case RECEIVING -> READING;
            case RECORDED -> unsentLines > 0 || sending ? IMPORTING : FOLLOWING;
            case FINISHED -> FINISHED;
            case REFUSED -> REFUSED;
            // Never shown: the pages pass over files being purged.
            case PURGING -> throw new IllegalArgumentException("no state for a file in status " + ledgerStatus);
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    String meaning() {
        return meaning;
    }

    boolean inProgress() {
        return this != FINISHED && this != REFUSED;
    }
}
