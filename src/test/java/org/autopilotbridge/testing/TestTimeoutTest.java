package org.autopilotbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every test runs under a timeout, so a hang fails the build instead of stalling CI (junit-platform.properties). */
class TestTimeoutTest {

    /** The configuration JUnit runs this test with: what it read from junit-platform.properties. */
    @RegisterExtension
    static final BeforeEachCallback CONFIGURATION = context -> configured =
            context.getConfigurationParameter("junit.jupiter.execution.timeout.default");

    private static Optional<String> configured = Optional.empty();

    @Test
    void everyTestHasADefaultTimeoutOfTenMinutes() {
        assertThat(configured).as("junit.jupiter.execution.timeout.default").contains("10 m");
    }
}
