package org.autopilotbridge;

import org.autopilotbridge.preflight.PreflightCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AutopilotBridgeApplication {

    public static void main(String[] args) {
        if (PreflightCommand.requested(args)) {
            System.exit(PreflightCommand.run(args, System.out));
        }
        SpringApplication.run(AutopilotBridgeApplication.class, args);
    }
}
