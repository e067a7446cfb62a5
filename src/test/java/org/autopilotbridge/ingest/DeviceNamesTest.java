package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DeviceNamesTest {

    @Test
    void takesWindowsComputerNamesOfLettersDigitsAndHyphensUpToFifteenCharacters() {
        assertThat(List.of("PC-0001", "a", "-", "0-1", "KIOSK7", "abcdefghij-1234", "1a")).allSatisfy(name ->
                assertThat(DeviceNames.problem(name)).as(name).isNull());
    }

    @Test
    void refusesANameLongerThanFifteenCharactersNamingTheLimit() {
        assertThat(DeviceNames.problem("abcdefghij-12345")).isEqualTo(
                "Device Name 'abcdefghij-12345' is longer than 15 characters, the most a Windows computer name can have");
    }

    @Test
    void refusesAnyCharacterButLettersDigitsAndHyphensSpacesIncluded() {
        assertThat(List.of("PC 0001", "PC_0001", "PC.contoso", "PC-Ä1", "PC@1", "PC-1\t")).allSatisfy(name ->
                assertThat(DeviceNames.problem(name)).as(name).isEqualTo("Device Name '" + name.replace('\t', '?')
                        + "' may contain only letters (a-z, A-Z), digits (0-9) and hyphens"));
    }

    @Test
    void refusesANameOfDigitsOnly() {
        assertThat(DeviceNames.problem("123456")).isEqualTo(
                "Device Name '123456' is digits only: a Windows computer name needs a letter or a hyphen");
    }

    @Test
    void refusesTheProfileTemplateMacrosWhichADevicesOwnNameDoesNotExpand() {
        assertThat(List.of("PC-%SERIAL%", "CONTOSO-%RAND:5%", "%")).allSatisfy(name ->
                assertThat(DeviceNames.problem(name)).as(name).isEqualTo("Device Name '" + name + "' uses a name template: "
                        + "%SERIAL% and %RAND:x% work only in a deployment profile's device name template, a device's own name "
                        + "is taken as written"));
    }
}
