package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * A file that cannot be taken is tried at every poll (four a second), and the incident is logged again only when its
 * reason changes: the reason must change neither from one try to the next nor from one file to the next. A full data
 * folder's message names the file moved aside in the inbox, under a new name at every try; logged as it was, the
 * incident was logged at every poll.
 */
class CannotTakeExceptionTest {

    @Test
    void theReasonIsTheSameAtEveryTry() {
        Path found = Path.of("/srv/inbox/fleet.csv");
        String first = new CannotTakeException(found, new FileSystemException("/srv/inbox/.autopilot-taking-1111-fleet.csv",
                "/var/lib/autopilot/processing/reading/inbox/1111-fleet.csv", "No space left on device")).getMessage();
        String second = new CannotTakeException(found, new FileSystemException("/srv/inbox/.autopilot-taking-2222-fleet.csv",
                "/var/lib/autopilot/processing/reading/inbox/2222-fleet.csv", "No space left on device")).getMessage();

        assertThat(first).isEqualTo(second).isEqualTo("cannot take fleet.csv into processing: No space left on device");
        CannotTakeException denied = new CannotTakeException(found,
                new AccessDeniedException("/var/lib/autopilot/processing/reading/inbox/3333-fleet.csv"));
        assertThat(denied.getMessage())
                .isEqualTo("cannot take fleet.csv into processing: AccessDeniedException in /var/lib/autopilot/processing/reading/inbox");
        assertThat(new CannotTakeException(Path.of("/srv/inbox/other.csv"),
                new AccessDeniedException("/var/lib/autopilot/processing/reading/inbox/4444-other.csv")).reason())
                .as("the same for every file").isEqualTo(denied.reason());
    }
}
