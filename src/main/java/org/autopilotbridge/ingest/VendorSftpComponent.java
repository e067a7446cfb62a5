package org.autopilotbridge.ingest;

import java.net.URI;
import java.util.Map;

import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.remote.SftpComponent;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.util.StringHelper;
import org.springframework.stereotype.Component;

/**
 * Camel's SFTP component, registered as {@code sftp}, except that an absolute folder stays absolute. Vendors give
 * their folders as absolute paths ({@code /outbound/hashes}); Camel's own component trims the leading slash and
 * so polls (and, with autoCreate, creates) that path under the login's home instead. Its SFTP client changes into
 * absolute folders correctly, so only the endpoint's configuration needs to keep the slash:
 * {@code sftp:host:22//outbound/hashes} is absolute, {@code sftp:host:22/outbound/hashes} relative to the login folder.
 */
@Component("sftp")
// Camel finds the generated setters of the SFTP options by this name.
@org.apache.camel.spi.annotations.Component("sftp")
public class VendorSftpComponent extends SftpComponent {

    @Override
    protected GenericFileEndpoint<SftpRemoteFile> buildFileEndpoint(String uri, String remaining,
                                                                     Map<String, Object> parameters) throws Exception {
        // The options may hold expressions that are not valid in a URI, so only the part before them is parsed.
        SftpConfiguration configuration = new SftpConfiguration(new URI(StringHelper.before(uri, "?", uri)));
        return new SftpEndpoint(uri, this, configuration);
    }
}
