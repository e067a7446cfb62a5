package org.autopilotbridge.ledger;

import java.util.List;

/** Updates of one tenant claimed together for one step: each step is one JSON $batch call to Graph. */
public record UpdateChunk(Step step, List<DeviceUpdate> updates, String tenant) {

    public enum Step {
        /** Find each registered device by its serial number. */
        FIND,
        /** Send the changes to the devices found. */
        SEND,
        /** Read again the devices whose update was sent without its answer being recorded, before sending it again. */
        VERIFY
    }
}
