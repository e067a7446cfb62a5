package org.autopilotbridge.web;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/** An upload larger than autopilot.web.max-upload: answered with 413 and this message. */
class UploadTooLargeException extends IOException {

    UploadTooLargeException(long maxBytes) {
        super("The file is larger than the " + DataSize.ofBytes(maxBytes).toMegabytes() + " MB an upload may be "
                + "(autopilot.web.max-upload): split it, or drop it into the inbox instead.");
    }
}
