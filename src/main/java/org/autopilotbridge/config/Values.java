package org.autopilotbridge.config;

import java.net.URI;

/** How the properties classes read "not set": a blank string, or an empty URL (an empty value in YAML binds as an empty URI). */
final class Values {

    private Values() {
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static boolean isSet(URI url) {
        return url != null && !url.toString().isEmpty();
    }
}
