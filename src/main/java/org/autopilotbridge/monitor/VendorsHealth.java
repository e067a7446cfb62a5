package org.autopilotbridge.monitor;

import java.util.LinkedHashMap;
import java.util.Map;

import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.ingest.VendorPollStrategy.VendorStatus;
import org.autopilotbridge.ingest.VendorPollStrategy;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Each vendor's last poll. A vendor whose server cannot be polled, or where fetched files cannot be moved or deleted,
 * makes the service DEGRADED, not DOWN: the drop folder and the other vendors still work.
 */
@Component("vendors")
public class VendorsHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "a vendor's SFTP server cannot be polled, or its files cannot be moved there");

    private final VendorProperties properties;
    private final VendorPollStrategy polls;

    VendorsHealth(VendorProperties properties, VendorPollStrategy polls) {
        this.properties = properties;
        this.polls = polls;
    }

    @Override
    public Health health() {
        Map<String, VendorStatus> status = polls.status();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean degraded = false;
        for (VendorProperties.Vendor vendor : properties.getVendors()) {
            VendorStatus s = status.get(vendor.getName());
            if (s == null) {
                details.put(vendor.getName(), "not polled yet");
            } else if (s.incident() != null) {
                degraded = true;
                details.put(vendor.getName(), "cannot poll since " + (s.lastSuccess() == null ? "start" : s.lastSuccess())
                        + ": " + s.incident());
            } else if (s.commitIncident() != null) {
                degraded = true;
                details.put(vendor.getName(), "polled at " + s.lastPoll() + ", but " + s.commitIncident()
                        + "; each file is fetched once and stays there");
            } else {
                details.put(vendor.getName(), "polled at " + s.lastPoll());
            }
        }
        return Health.status(degraded ? DEGRADED : Status.UP).withDetails(details).build();
    }
}
