package org.autopilotbridge.ingest;

import java.util.stream.Collectors;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.remote.RemoteFile;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The vendor routes' file filter: a name as a vendor's server lists it is taken only when it is one plain name
 * ({@link SafeNames#refusal}). Camel builds its local work file, and the server's .done path, from that name, so a
 * refused file is never downloaded, moved or recorded: it stays on the server, and is logged once.
 */
@Component("vendorFileNames")
public class VendorFileNames implements GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(VendorFileNames.class);

    private final VendorProperties properties;
    private final Incidents incidents;

    VendorFileNames(VendorProperties properties, Incidents incidents) {
        this.properties = properties;
        this.incidents = incidents;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        String name = file.getFileNameOnly();
        String refusal = SafeNames.refusal(name);
        if (refusal == null) {
            return true;
        }
        String host = file instanceof RemoteFile<?> remote ? remote.getHostname() : "?";
        String folder = file.getEndpointPath() == null || file.getEndpointPath().isEmpty() ? "(the login folder)" : file.getEndpointPath();
        String where = "sftp://" + host + " folder " + folder;
        if (incidents.started("vendor file name " + where + " " + name, refusal)) {
            LOG.warn("Vendor {}: refused the file \"{}\" listed by {}: {}. It is not fetched and stays on the server; ask "
                    + "the vendor to rename it.", vendors(host, file.getEndpointPath()), SafeNames.shown(name), where, refusal);
        }
        return false;
    }

    /** The vendors polling this server's folder: a file knows its host and folder, not the port or login. */
    private String vendors(String host, String folder) {
        String names = properties.getVendors().stream()
                .filter(v -> v.getSftp().getHost().equals(host) && trimmed(v.getSftp().getDirectory()).equals(trimmed(folder)))
                .map(VendorProperties.Vendor::getName)
                .collect(Collectors.joining(" or "));
        return names.isEmpty() ? "?" : names;
    }

    private static String trimmed(String folder) {
        return folder == null ? "" : folder.replaceAll("/+$", "");
    }
}
