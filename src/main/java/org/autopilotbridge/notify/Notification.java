package org.autopilotbridge.notify;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The message about one file, as the webhook receives it in JSON. {@code text} is the whole message in one line,
 * which Slack shows as it is and a Teams workflow posts with {@code triggerBody()?['text']}; the other fields are
 * the same facts, one by one, for a receiver that builds its own card or ticket. {@code profiles} counts the
 * followed lines by how their deployment profile ended, and is left out when none was followed.
 */
public record Notification(String text, String title, String service, String host, String file, String source,
                           String status, Map<String, Integer> outcomes, Integer linesNeedingAction,
                           Long durationSeconds, String failedLines, String results, String reason,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> profiles,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String tenant) {

    /** The same message for a chat: every text a file, its source or its lines can supply is inert there. */
    public Notification forChat() {
        return new Notification(ChatMarkup.inert(text), ChatMarkup.inert(title), service, host, ChatMarkup.inert(file),
                ChatMarkup.inert(source), status, outcomes, linesNeedingAction, durationSeconds, ChatMarkup.inert(failedLines),
                ChatMarkup.inert(results), ChatMarkup.inert(reason), profiles, tenant);
    }
}
