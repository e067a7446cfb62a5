package org.autopilotbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.autopilotbridge.ConfigurationReference.Key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.ConfigurationReference.YAML;
import static org.autopilotbridge.ConfigurationReference.find;
import static org.autopilotbridge.ConfigurationReference.keys;
import static org.autopilotbridge.ConfigurationReference.table;
import static org.autopilotbridge.ConfigurationReference.yamlKeys;

/**
 * Every {@code autopilot.*} key is documented once, in the Javadoc of its field; the build's configuration processor
 * turns that into target/classes/META-INF/spring-configuration-metadata.json, and these tests hold docs/configuration.md
 * and config/application.yml to it ({@link ConfigurationReference} reads both).
 */
class ConfigurationReferenceTest {

    static final String REGENERATE = "mvn -B -o test -Dtest=ConfigurationReferenceTest -Dregenerate=true";
    static final String BEGIN = "<!-- generated from the configuration metadata: do not edit; regenerate with " + REGENERATE + " -->";
    static final String END = "<!-- end of the generated reference -->";
    static final Path DOC = Path.of("docs/configuration.md");

    @Test
    void docsConfigurationMdShowsTheReferenceTheMetadataGives() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s holds the line %s and, after it, %s", DOC, BEGIN, END).isNotNegative();
        assertThat(end).as("%s holds the line %s after the table", DOC, END).isGreaterThan(begin);
        String table = table();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(DOC, doc.substring(0, begin) + BEGIN + "\n" + table + doc.substring(end), StandardCharsets.UTF_8);
            doc = Files.readString(DOC, StandardCharsets.UTF_8);
            end = doc.indexOf(END);
        }
        assertThat(doc.substring(begin + BEGIN.length() + 1, end)).as("%s is not what the Javadoc of the properties classes says now; regenerate it with %s",
                DOC, REGENERATE).isEqualTo(table);
    }

    @Test
    void everyKeyHasADescription() {
        assertThat(keys().stream().filter(key -> key.description().isBlank()).map(Key::name))
                .as("keys whose field has no Javadoc (the one place a key is documented)").isEmpty();
    }

    @Test
    void applicationYmlNamesOnlyKeysTheMetadataKnows() throws IOException {
        List<String> unknown = yamlKeys().keySet().stream().filter(key -> find(key).isEmpty()).toList();
        assertThat(unknown).as("autopilot.* keys in %s that no properties class binds (a typo, or a key removed "
                + "from the code); add the field with its Javadoc, or remove the key", YAML).isEmpty();
    }

    @Test
    void applicationYmlSetsTheDefaultsTheReferenceShows() throws IOException {
        // The jar carries config/application.yml as its defaults: a value there that differs from the field's
        // initial value would make the reference's default column wrong. A list's elements have no default.
        Map<String, String> differing = new TreeMap<>();
        yamlKeys().forEach((name, value) -> find(name).filter(key -> !name.contains("[")).filter(key -> !key.defaultValue().equals(value))
                .ifPresent(key -> differing.put(name, value + " in " + YAML + ", " + key.defaultValue() + " in the code")));
        assertThat(differing).as("the jar's defaults are %s: make its value and the field's initial value agree, so that "
                + "the reference shows the default in force", YAML)
                .isEmpty();
    }
}
