package org.autopilotbridge.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.RouteAware;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.remote.RemoteFileConfiguration;
import org.apache.camel.component.file.remote.RemoteFileEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.util.ObjectHelper;
import org.autopilotbridge.config.VendorProperties;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells ops once per incident when a vendor's server cannot be polled (down, login refused, host key not
 * trusted, folder missing or not listable), or when fetched files cannot be moved or deleted there, with the vendor,
 * the host, the folder and the cause, and once when it works again; and keeps each vendor's last poll for health
 * checks. The route itself keeps polling on its schedule; other vendors and the drop folder are not affected.
 */
@Component("vendorPollStrategy")
public class VendorPollStrategy implements PollingConsumerPollStrategy, ExceptionHandler {

    /**
     * A vendor's polling as last seen: when, whether it worked, the incident in progress if not, and how many polls
     * this instance made (with several instances, only the one that holds the vendor polls); and why fetched files
     * cannot be moved or deleted on the server, while they cannot.
     */
    public record VendorStatus(Instant lastPoll, Instant lastSuccess, String incident, int incidentsReported, long polls,
                               String commitIncident) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(VendorPollStrategy.class);

    private final Map<String, VendorStatus> status = new ConcurrentHashMap<>();
    /** Vendors whose poll in progress failed to move or delete a file on the server. */
    private final Set<String> commitFailedInPoll = ConcurrentHashMap.newKeySet();
    private final VendorProperties properties;

    VendorPollStrategy(VendorProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        commitFailedInPoll.remove(vendor(consumer, endpoint));
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String vendor = vendor(consumer, endpoint);
        Instant now = Instant.now();
        VendorStatus before = status.get(vendor);
        // A poll that fetched files and moved (or deleted) them all shows the server takes our moves again.
        boolean moved = polledMessages > 0 && !commitFailedInPoll.contains(vendor);
        String commitIncident = before == null || moved ? null : before.commitIncident();
        status.put(vendor, new VendorStatus(now, now, null, before == null ? 0 : before.incidentsReported(), polls(before),
                commitIncident));
        if (before != null && before.incident() != null) {
            LOG.info("Vendor {}: polling {} works again", vendor, host(endpoint));
        }
        if (before != null && before.commitIncident() != null && commitIncident == null) {
            LOG.info("Vendor {}: fetched files are moved away on {} again", vendor, host(endpoint));
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String vendor = vendor(consumer, endpoint);
        String reason = host(endpoint) + " folder " + folder(endpoint) + ": " + reason(cause);
        VendorStatus before = status.get(vendor);
        boolean newIncident = before == null || !reason.equals(before.incident());
        int reported = (before == null ? 0 : before.incidentsReported()) + (newIncident ? 1 : 0);
        status.put(vendor, new VendorStatus(Instant.now(), before == null ? null : before.lastSuccess(), reason, reported,
                polls(before), before == null ? null : before.commitIncident()));
        if (newIncident) {
            LOG.warn("Vendor {}: cannot poll {}. Nothing is fetched; retrying on the poll schedule.", vendor, reason);
        }
        return false;
    }

    /**
     * The vendor routes' exception handler: poll failures were reported above, a file that cannot be moved or deleted
     * on the server is an incident of its vendor, anything else is warned of.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null && message != null && message.startsWith("Failed polling endpoint")) {
            LOG.debug(message, exception);
        } else if (exchange != null && "Error during commit".equals(message)) {
            commitFailed(exchange, exception);
        } else {
            LOG.warn("{}: {}", message, Incidents.describe(exception));
        }
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(exception.getMessage(), null, exception);
    }

    /**
     * The file was taken in, but stays on the server: the ledger remembers it (FetchedVendorFiles), so it is not
     * fetched again, and the vendor is DEGRADED until a later file is moved away. Logged once, not per file.
     */
    private void commitFailed(Exchange exchange, Throwable exception) {
        String vendor = exchange.getMessage().getHeader(HashFileIngest.SOURCE_HEADER, "unknown", String.class);
        commitFailedInPoll.add(vendor);
        SftpException sftp = ObjectHelper.getException(SftpException.class, exception);
        String cause = sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED ? "permission denied"
                : Incidents.describe(exception);
        String reason = "fetched files cannot be " + (deletes(vendor) ? "deleted" : "moved into .done or .failed")
                + " on the server: " + cause;
        VendorStatus before = status.get(vendor);
        status.put(vendor, before == null ? new VendorStatus(null, null, null, 0, 0, reason)
                : new VendorStatus(before.lastPoll(), before.lastSuccess(), before.incident(), before.incidentsReported(),
                        before.polls(), reason));
        if (before == null || !reason.equals(before.commitIncident())) {
            LOG.warn("Vendor {}: {} (first: {}). Each file is fetched and taken in once, remembered in the ledger, and "
                    + "left where it is; logged again only when this changes.", vendor, reason,
                    SafeNames.shown(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, "?", String.class)));
        }
    }

    private boolean deletes(String vendor) {
        return properties.getVendors().stream().anyMatch(v -> v.getName().equals(vendor) && v.getSftp().isDelete());
    }

    private static long polls(VendorStatus before) {
        return before == null ? 1 : before.polls() + 1;
    }

    /** Every vendor polled so far, by name. */
    public Map<String, VendorStatus> status() {
        return Map.copyOf(status);
    }

    /**
     * The vendor whose server is polled: its route's; or, for the consumer that polls on behalf of the route (with
     * several instances, {@code master:} runs it on one of them), the vendor with that server, login and folder.
     */
    private String vendor(Consumer consumer, Endpoint endpoint) {
        Route route = consumer instanceof RouteAware aware ? aware.getRoute() : null;
        if (route != null && route.getRouteId().startsWith(VendorRoutes.ROUTE_PREFIX)) {
            return route.getRouteId().substring(VendorRoutes.ROUTE_PREFIX.length());
        }
        if (endpoint instanceof RemoteFileEndpoint<?> remote) {
            RemoteFileConfiguration server = remote.getConfiguration();
            for (VendorProperties.Vendor vendor : properties.getVendors()) {
                VendorProperties.Sftp sftp = vendor.getSftp();
                if (sftp.getHost().equals(server.getHost()) && sftp.getPort() == server.getPort()
                        && sftp.getUsername().equals(server.getUsername())
                        && folder(sftp.getDirectory()).equals(folder(server.getDirectory()))) {
                    return vendor.getName();
                }
            }
        }
        return "unknown";
    }

    private static String folder(String directory) {
        return directory == null ? "" : directory.replaceAll("/+$", "");
    }

    /** scheme://host:port only: the endpoint URI also carries the login. */
    static String host(Endpoint endpoint) {
        String uri = endpoint.getEndpointBaseUri();
        int path = uri.indexOf('/', uri.indexOf("://") + 3);
        return path < 0 ? uri : uri.substring(0, path);
    }

    /** The folder as configured: absolute, or relative to the login folder. */
    private static String folder(Endpoint endpoint) {
        String directory = endpoint instanceof GenericFileEndpoint<?> file ? file.getConfiguration().getDirectory() : null;
        return directory == null || directory.isEmpty() ? "(the login folder)" : directory;
    }

    /** A folder the server does not have or will not list is said as such; anything else by its root cause. */
    private static String reason(Throwable e) {
        SftpException sftp = ObjectHelper.getException(SftpException.class, e);
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
            return "the folder does not exist on the server, and is not created there (" + Incidents.describe(e) + ")";
        }
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return "the folder cannot be listed: permission denied (" + Incidents.describe(e) + ")";
        }
        return Incidents.describe(e);
    }
}
