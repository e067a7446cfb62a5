package org.autopilotbridge.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** The web page and HTTP API for files ({@code /files}, {@code /api/files}; docs/web.md). */
@Validated
@ConfigurationProperties(prefix = "autopilot.web")
public class WebProperties {

    /** The largest file an upload may carry; a larger one is refused with 413 before it reaches the inbox. */
    private DataSize maxUpload = DataSize.ofMegabytes(200);

    public DataSize getMaxUpload() { return maxUpload; }
    public void setMaxUpload(DataSize maxUpload) { this.maxUpload = maxUpload; }
}
