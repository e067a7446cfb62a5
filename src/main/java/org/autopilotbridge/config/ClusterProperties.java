package org.autopilotbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/** Several instances on one PostgreSQL ledger: how work is leased to an instance ({@code autopilot.cluster.*}). */
@Validated
@ConfigurationProperties(prefix = "autopilot.cluster")
public class ClusterProperties implements Validator {

    /**
     * How long work claimed by an instance stays its own without renewal (renewed every third of it, at least 3s);
     * the work of an instance that died is taken over by the others when its leases run out.
     */
    @NotNull(message = "autopilot.cluster.lease must be set")
    private Duration lease = Duration.ofSeconds(30);

    /** This instance's name in the ledger, JMX and health; empty: the host name and the process id. */
    @Size(max = 100, message = "autopilot.cluster.instance-id must be at most {max} characters")
    private String instanceId;

    @Override
    public boolean supports(Class<?> type) {
        return ClusterProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        Duration configured = ((ClusterProperties) target).lease;
        if (configured != null && configured.compareTo(Duration.ofSeconds(3)) < 0) {
            errors.rejectValue("lease", "range", "autopilot.cluster.lease must be at least 3s");
        }
    }

    public Duration getLease() { return lease; }
    public void setLease(Duration lease) { this.lease = lease; }
    public String getInstanceId() { return instanceId; }
    public void setInstanceId(String instanceId) { this.instanceId = instanceId; }
}
