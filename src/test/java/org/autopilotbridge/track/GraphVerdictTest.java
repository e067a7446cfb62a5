package org.autopilotbridge.track;

import static org.assertj.core.api.Assertions.assertThat;

import org.autopilotbridge.graph.GraphException;
import org.autopilotbridge.graph.ImportedDeviceIdentity.ImportState;
import org.autopilotbridge.ledger.DeviceOutcome;
import org.autopilotbridge.ledger.Outcome;
import org.junit.jupiter.api.Test;

/** What each of Graph's words becomes in the results file. */
class GraphVerdictTest {

    private static DeviceOutcome error(Integer code, String name) {
        return GraphVerdict.of(new ImportState("error", "", code, name));
    }

    @Test
    void aDeviceIsFinalOnlyWhenCompleteOrInError() {
        assertThat(GraphVerdict.of((ImportState) null)).isNull();
        assertThat(GraphVerdict.of(new ImportState("unknown", "", 0, ""))).isNull();
        assertThat(GraphVerdict.of(new ImportState("pending", "", 0, ""))).isNull();
        assertThat(GraphVerdict.of(new ImportState("partial", "", 0, ""))).isNull();
        assertThat(GraphVerdict.of(new ImportState("complete", "5b2c", 0, "")).outcome()).isEqualTo(Outcome.IMPORTED);
        assertThat(GraphVerdict.of(new ImportState("Complete", "5b2c", 0, "")).outcome()).isEqualTo(Outcome.IMPORTED);
    }

    @Test
    void alreadyAssignedIsASoftError() {
        assertThat(error(806, "ZtdDeviceAlreadyAssigned")).isEqualTo(new DeviceOutcome(Outcome.ALREADY_REGISTERED,
                "806", "ZtdDeviceAlreadyAssigned", "already registered in this tenant"));
        assertThat(error(null, "ZtdDeviceAlreadyAssigned").outcome()).isEqualTo(Outcome.ALREADY_REGISTERED);
    }

    @Test
    void bothSpellingsOfTheOtherTenantError() {
        assertThat(error(808, "ZtdDeviceAssignedToOtherTenant").outcome()).isEqualTo(Outcome.OTHER_TENANT);
        assertThat(error(808, "ZtdDeviceAssignedToAnotherTenant").outcome()).isEqualTo(Outcome.OTHER_TENANT);
        assertThat(error(0, "ZtdDeviceAssignedToAnotherTenant")).satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(Outcome.OTHER_TENANT);
            assertThat(o.errorCode()).as("no code is better than 0").isNull();
            assertThat(o.detail()).contains("another tenant");
        });
    }

    @Test
    void explainsWhatToDoAboutEachKnownError() {
        assertThat(error(802, "InvalidZtdHardwareHash")).satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(o.detail()).contains("capture the hash on the device again");
        });
        assertThat(error(0, "ZtdDeviceDuplicated").detail()).contains("same hardware hash is on another line");
        assertThat(error(999, "StorageError")).satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(o.errorCode()).isEqualTo("999");
            assertThat(o.detail()).contains("drop the failed-rows file again later");
        });
    }

    @Test
    void keepsTheCodeAndNameOfAnErrorItDoesNotKnow() {
        assertThat(error(1234, "ZtdSomethingNew")).isEqualTo(new DeviceOutcome(Outcome.FAILED, "1234", "ZtdSomethingNew",
                "Graph could not import the device: ZtdSomethingNew"));
        assertThat(error(null, null)).isEqualTo(new DeviceOutcome(Outcome.FAILED, null, null, "Graph could not import the device"));
    }

    @Test
    void aRefusedRequestFailsItsDevicesWithStatusAndIds() {
        GraphException refused = new GraphException(400, "BadRequest", "Cannot convert the literal", "req-1", "client-1", false);

        DeviceOutcome outcome = GraphVerdict.of(refused);

        assertThat(outcome.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.errorCode()).isEqualTo("400");
        assertThat(outcome.errorName()).isEqualTo("BadRequest");
        assertThat(outcome.detail()).contains("Graph answered 400 BadRequest").contains("request-id req-1")
                .contains("client-request-id client-1");
        assertThat(GraphVerdict.of(new GraphException(0, "ConnectException", "refused", null, "c", false)).errorCode())
                .as("no answer, no status").isNull();
    }
}
