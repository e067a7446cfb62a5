package org.autopilotbridge.graph;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JSON mapper for Graph bodies and reports (Spring Boot only makes one when spring-web is present). */
@Configuration(proxyBeanMethods = false)
class GraphJson {

    @Bean
    ObjectMapper objectMapper() {
        // Graph adds properties (@odata.context, new fields) at any time; reading must not break on them.
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).findAndAddModules().build();
    }
}
