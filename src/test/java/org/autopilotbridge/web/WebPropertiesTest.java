package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Errors;

/** An upload limit that would refuse every upload stops start-up, naming the key. */
class WebPropertiesTest {

    @Test
    void refusesAnUploadLimitOfNothingAndTakesTheDefault() {
        WebProperties web = new WebProperties();
        assertThat(errors(web).hasErrors()).isFalse();
        assertThat(web.getMaxUpload()).isEqualTo(DataSize.ofMegabytes(200));

        web.setMaxUpload(DataSize.ofBytes(0));
        assertThat(errors(web).getFieldError("maxUpload").getDefaultMessage()).contains("autopilot.web.max-upload");
    }

    private static Errors errors(WebProperties web) {
        Errors errors = new BeanPropertyBindingResult(web, "autopilot.web");
        web.validate(web, errors);
        return errors;
    }
}
