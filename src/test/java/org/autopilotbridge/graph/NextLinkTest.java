package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.config.GraphProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A next link Graph (or whatever answers in its place) sends is followed only with Graph's own scheme and host:
 * refused before any call, so the client needs no HTTP part here.
 */
class NextLinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphProperties GLOBAL = new Binder(new MapConfigurationPropertySource(Map.of("autopilot.cloud", "global")))
            .bindOrCreate("autopilot", GraphProperties.class);
    private final GraphClient client = new GraphClient(GLOBAL, GLOBAL.graph(), null, null, JSON);

    @Test
    void refusesANextLinkThatDropsTls() {
        assertRefused("http://graph.microsoft.com/v1.0" + GraphClient.COLLECTION + "?$skiptoken=2");
    }

    @Test
    void refusesANextLinkToAnotherHost() {
        assertRefused("https://graph.microsoft.com.evil.example/v1.0" + GraphClient.COLLECTION + "?$skiptoken=2");
    }

    private void assertRefused(String link) {
        assertThatThrownBy(() -> client.nextPage(link, JSON.readerFor(JsonNode.class), new GraphGate.Cost(GraphGate.Priority.READ, 1, 0)))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.getMessage()).contains("another host or scheme"));
    }
}
