package org.autopilotbridge.install;

import java.beans.PropertyEditorSupport;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.beans.factory.config.CustomEditorConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Paths in the configuration are taken as written. Spring's default editor would turn a relative path that happens
 * to name a folder on the class path ({@code db}, {@code routes}) into that folder inside the build, so the service
 * would silently use another place than {@code autopilot.home}; resolving against the home is then left to
 * {@link AutopilotHome} (the work folders) and {@link ConfiguredFiles} (the other files).
 */
@Configuration(proxyBeanMethods = false)
public class LiteralPaths {

    @Bean
    static CustomEditorConfigurer literalPathEditor() {
        CustomEditorConfigurer configurer = new CustomEditorConfigurer();
        configurer.setCustomEditors(Map.of(Path.class, Editor.class));
        return configurer;
    }

    /** A blank value is no path at all, so "must be set" checks see it as missing. */
    static class Editor extends PropertyEditorSupport {

        @Override
        public void setAsText(String text) {
            setValue(text == null || text.isBlank() ? null : Path.of(text.strip()));
        }
    }
}
