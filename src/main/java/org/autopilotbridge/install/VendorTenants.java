package org.autopilotbridge.install;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.config.VendorProperties.Vendor;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when a vendor's files would have no tenant, or one the service does not serve: with several
 * tenants each vendor names its own ({@code autopilot.vendors[N].tenant}), since nothing in a vendor's file says whose
 * devices it holds; a single-tenant service refuses the key, which would suggest a choice it does not make.
 */
@Component
public class VendorTenants {

    VendorTenants(VendorProperties vendors, Tenants tenants) {
        List<String> wrong = new ArrayList<>();
        String served = tenants.all().stream().map(Tenant::name).sorted().collect(Collectors.joining(", "));
        for (int i = 0; i < vendors.getVendors().size(); i++) {
            Vendor vendor = vendors.getVendors().get(i);
            String key = "autopilot.vendors[" + i + "].tenant";
            String named = vendor.getTenant();
            boolean blank = named == null || named.isBlank();
            if (tenants.several() && blank) {
                wrong.add(key + " is required for vendor " + vendor.getName() + ": this service serves several tenants (" + served + ")");
            } else if (tenants.several() && tenants.find(named).isEmpty()) {
                wrong.add(key + " of vendor " + vendor.getName() + " is '" + named + "', which is none of the tenants of "
                        + "autopilot.tenants (" + served + ")");
            } else if (!tenants.several() && !blank) {
                wrong.add(key + " of vendor " + vendor.getName() + " is set, but autopilot.tenants is not: this service "
                        + "imports every file into its one tenant");
            }
        }
        if (!wrong.isEmpty()) {
            throw new StartupRefusedException(String.join("; ", wrong), tenants.several()
                    ? "Set each vendor's tenant to the name of one of autopilot.tenants (" + served + ")."
                    : "Remove autopilot.vendors[N].tenant, or configure the tenants under autopilot.tenants.");
        }
    }
}
