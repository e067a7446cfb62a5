package org.autopilotbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AutopilotBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(AutopilotBridgeApplication.class, args);
    }
}
