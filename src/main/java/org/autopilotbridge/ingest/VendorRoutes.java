package org.autopilotbridge.ingest;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.camel.spi.RouteTemplateParameterSource;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.VendorProperties.Sftp;
import org.autopilotbridge.config.VendorProperties.Vendor;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.install.ConfiguredFiles;
import org.springframework.stereotype.Component;

/**
 * Makes one route per configured vendor from the {@code sftp-vendor} template in routes/15-vendors.camel.yaml, with the
 * stable id {@code sftp-<name>}. Camel asks this source for its routes when the context starts.
 */
@Component
class VendorRoutes implements RouteTemplateParameterSource {

    static final String TEMPLATE = "sftp-vendor";
    static final String ROUTE_PREFIX = "sftp-";

    private final VendorProperties properties;
    private final FolderProperties folders;
    private final ConfiguredFiles files;

    VendorRoutes(VendorProperties properties, FolderProperties folders, ConfiguredFiles files) {
        this.properties = properties;
        this.folders = folders;
        this.files = files;
    }

    @Override
    public Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        properties.getVendors().forEach(v -> ids.add(ROUTE_PREFIX + v.getName()));
        return ids;
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        Vendor vendor = properties.getVendors().stream()
                .filter(v -> routeId.equals(ROUTE_PREFIX + v.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vendor for route " + routeId));
        Sftp sftp = vendor.getSftp();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(TEMPLATE_ID, TEMPLATE);
        parameters.put("vendor", vendor.getName());
        parameters.put("groupTag", vendor.getGroupTag() == null ? "" : vendor.getGroupTag());
        parameters.put("tenant", vendor.getTenant() == null ? "" : vendor.getTenant());
        parameters.put("host", sftp.getHost());
        parameters.put("port", sftp.getPort());
        parameters.put("directory", sftp.getDirectory() == null ? "" : sftp.getDirectory());
        parameters.put("username", sftp.getUsername());
        parameters.put("knownHostsFile", files.resolve(sftp.getKnownHostsFile()).toString());
        parameters.put("pollMillis", sftp.getPollInterval().toMillis());
        parameters.put("workDirectory", folders.getDataDir().resolve("sftp").resolve(vendor.getName()).toString());
        if (sftp.getPrivateKeyFile() != null) {
            parameters.put("privateKeyFile", files.resolve(sftp.getPrivateKeyFile()).toString());
            if (sftp.getPrivateKeyPassphrase() != null && !sftp.getPrivateKeyPassphrase().isEmpty()) {
                parameters.put("privateKeyPassphrase", raw(sftp.getPrivateKeyPassphrase()));
            }
        } else {
            parameters.put("password", raw(sftp.getPassword()));
        }
        if (sftp.isDelete()) {
            parameters.put("delete", true);
        } else {
            parameters.put("move", "${header.AutopilotServerFolder}/${file:name}");
        }
        return parameters;
    }

    /**
     * A secret as Camel takes it verbatim in an endpoint URI, whatever it holds (&, +, =, %): master: hands the
     * options on to the SFTP endpoint, which reads them again.
     */
    static String raw(String secret) {
        return secret.contains(")") ? "RAW{" + secret + "}" : "RAW(" + secret + ")";
    }
}
