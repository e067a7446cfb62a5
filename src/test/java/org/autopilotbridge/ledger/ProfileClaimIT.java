package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Following deployment profiles shared by instances on a real PostgreSQL ledger: a device is read by one instance at
 * a time (rows another holds are passed over), only its holder records how it ended, and a device whose holder died
 * is taken over once the lease has run out.
 */
class ProfileClaimIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void eachDeviceIsReadByOneInstanceAtATimeAndTakenOverWhenItsHolderDies() throws Exception {
        dueFollows("shared.csv", 30);
        ProfileLedger first = ledger("node-1");
        ProfileLedger second = ledger("node-2");

        List<ProfileFollow> ofFirst = first.claimNext(20, "default");
        List<ProfileFollow> ofSecond = second.claimNext(20, "default");

        assertThat(ofFirst).hasSize(20);
        assertThat(ofSecond).as("the rest, none the first holds").hasSize(10)
                .extracting(ProfileFollow::id).doesNotContainAnyElementsOf(ofFirst.stream().map(ProfileFollow::id).toList());
        second.record(List.of(), List.of(new ProfileLedger.Ended(ofFirst.get(0), ProfileStatus.ASSIGNED, "P", null)));
        assertThat(first.waiting()).as("not the second's to end").isEqualTo(30);

        // The first instance dies: its leases run out by the database's clock.
        LEDGER.jdbc().update("UPDATE profile_follow SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1 second' WHERE lease_owner = 'node-1'");
        assertThat(second.claimNext(20, "default")).as("taken over").hasSize(20);
    }

    private static ProfileLedger ledger(String instance) throws Exception {
        return new ProfileLedger(LEDGER.jdbc(), LEDGER.dialect(), PostgresLedger.instance(instance), Duration.ofHours(1), Duration.ZERO);
    }

    /** A recorded file of {@code count} imported devices, each followed and due for a read. */
    private static void dueFollows(String name, int count) {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile(name);
        for (int line = 1; line <= count; line++) {
            String serial = "PF-" + line;
            jdbc.update("""
                    INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, registration_id)
                    VALUES (?, ?, ?, ?, 'IMPORTED', ?)""", fileId, line + 1, serial, serial, "reg-" + line);
            jdbc.update("""
                    INSERT INTO profile_follow (device_id, file_id, registered_id, serial_number, status, reads, next_read_at, deadline)
                    VALUES ((SELECT MAX(id) FROM device), ?, ?, ?, 'FOLLOWING', 0, CURRENT_TIMESTAMP - INTERVAL '1 minute', ?)""",
                    fileId, "reg-" + line, serial, Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
        }
    }
}
