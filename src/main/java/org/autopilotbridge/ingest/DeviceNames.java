package org.autopilotbridge.ingest;

import org.autopilotbridge.csv.TextPreview;

/**
 * The rules a line's Device Name must meet before it is sent as the registered device's {@code displayName}, the name
 * the device takes when it joins Microsoft Entra ID: a Windows computer name, as Intune documents it for Autopilot
 * names (at most 15 characters, the NetBIOS limit; letters a-z and A-Z, digits and hyphens; not digits only). The
 * {@code %SERIAL%} and {@code %RAND:x%} macros belong to a deployment profile's device name template: Intune documents
 * them there and nowhere for a device's own name, so a name with them is refused rather than sent to become a literal
 * name no Windows can take.
 */
final class DeviceNames {

    /** NetBIOS computer names have at most 15 characters. */
    static final int MAX = 15;

    private DeviceNames() {
    }

    /** Why {@code name} cannot be a device's name (the rule it breaks), or null if it can. */
    static String problem(String name) {
        String shown = "Device Name '" + TextPreview.of(name) + "'";
        if (name.indexOf('%') >= 0) {
            return shown + " uses a name template: %SERIAL% and %RAND:x% work only in a deployment profile's device name "
                    + "template, a device's own name is taken as written";
        }
        if (name.length() > MAX) {
            return shown + " is longer than " + MAX + " characters, the most a Windows computer name can have";
        }
        if (!name.chars().allMatch(c -> isAsciiLetter(c) || isDigit(c) || c == '-')) {
            return shown + " may contain only letters (a-z, A-Z), digits (0-9) and hyphens";
        }
        if (name.chars().allMatch(DeviceNames::isDigit)) {
            return shown + " is digits only: a Windows computer name needs a letter or a hyphen";
        }
        return null;
    }

    private static boolean isAsciiLetter(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
