package org.autopilotbridge.ledger;

/**
 * Where an update of a registered device stands ({@code device_update.status}, stored by name): FIND → SEND → SENT →
 * DONE, each step recorded before the next one acts on it.
 */
enum UpdateStatus {
    /** The registered device is to be looked up by its serial number. */
    FIND,
    /** The device was found with something to change; the change is to be sent. */
    SEND,
    /** The change went to Graph and its answer is not recorded yet: the device is read again before it is sent again. */
    SENT,
    /** Over: the line has its final outcome. */
    DONE;

    /** The step that works on updates in this status; DONE has none. */
    UpdateChunk.Step step() {
        return switch (this) {
            case FIND -> UpdateChunk.Step.FIND;
            case SEND -> UpdateChunk.Step.SEND;
            case SENT -> UpdateChunk.Step.VERIFY;
            case DONE -> throw new IllegalStateException("a done update has no step");
        };
    }

    /** The status in which an update waits for {@code step}. */
    static UpdateStatus waitingFor(UpdateChunk.Step step) {
        return switch (step) {
            case FIND -> FIND;
            case SEND -> SEND;
            case VERIFY -> SENT;
        };
    }
}
