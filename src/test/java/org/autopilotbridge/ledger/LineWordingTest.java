package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class LineWordingTest {

    @Test
    void aDuplicateNamesTheFirstLineWithItsSerialNumber() {
        assertThat(LineWording.duplicateOf(2)).isEqualTo("serial number already on line 2");
    }

    @Test
    void aDeviceRegisteredBeforeNamesTheFileLineAndDayItCameFrom() {
        // Noon UTC is the same day in the zones the service runs in, so the day does not depend on the machine's zone.
        Instant received = Instant.parse("2026-12-06T12:00:00Z");

        assertThat(LineWording.registeredFrom("first.csv", 7, 2, received))
                .isEqualTo("registered by this service from first.csv (file #7, line 2) on 2026-12-06");
    }
}
