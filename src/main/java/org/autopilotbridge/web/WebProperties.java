package org.autopilotbridge.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/** The web page and HTTP API for files ({@code /files}, {@code /api/files}; docs/web.md). */
@Validated
@ConfigurationProperties(prefix = "autopilot.web")
public class WebProperties implements Validator {

    /** The largest file an upload may carry; a larger one is refused with 413 before it reaches the inbox. */
    private DataSize maxUpload = DataSize.ofMegabytes(200);

    @Override
    public boolean supports(Class<?> type) {
        return WebProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        DataSize max = ((WebProperties) target).maxUpload;
        if (max == null || max.toBytes() <= 0) {
            errors.rejectValue("maxUpload", "positive", "autopilot.web.max-upload must be more than 0 bytes, e.g. 200MB");
        }
    }

    public DataSize getMaxUpload() { return maxUpload; }
    public void setMaxUpload(DataSize maxUpload) { this.maxUpload = maxUpload; }
}
