package org.autopilotbridge.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.RouteAware;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells ops once per incident when a vendor's server cannot be polled (down, login refused, host key not
 * trusted, folder missing or not listable), with the vendor, the host, the folder and the cause, and once when it
 * works again; and keeps each vendor's last poll for health checks. The route itself keeps polling on its schedule;
 * other vendors and the drop folder are not affected.
 */
@Component("vendorPollStrategy")
public class VendorPollStrategy implements PollingConsumerPollStrategy, ExceptionHandler {

    /** A vendor's polling as last seen: when, whether it worked, and the incident in progress if not. */
    public record VendorStatus(Instant lastPoll, Instant lastSuccess, String incident, int incidentsReported) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(VendorPollStrategy.class);

    private final Map<String, VendorStatus> status = new ConcurrentHashMap<>();

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String vendor = vendor(consumer);
        Instant now = Instant.now();
        VendorStatus before = status.get(vendor);
        status.put(vendor, new VendorStatus(now, now, null, before == null ? 0 : before.incidentsReported()));
        if (before != null && before.incident() != null) {
            LOG.info("Vendor {}: polling {} works again", vendor, host(endpoint));
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String vendor = vendor(consumer);
        String reason = host(endpoint) + " folder " + folder(endpoint) + ": " + reason(cause);
        VendorStatus before = status.get(vendor);
        boolean newIncident = before == null || !reason.equals(before.incident());
        int reported = (before == null ? 0 : before.incidentsReported()) + (newIncident ? 1 : 0);
        status.put(vendor, new VendorStatus(Instant.now(), before == null ? null : before.lastSuccess(), reason, reported));
        if (newIncident) {
            LOG.warn("Vendor {}: cannot poll {}. Nothing is fetched; retrying on the poll schedule.", vendor, reason);
        }
        return false;
    }

    /** The vendor routes' exception handler: poll failures were reported above, anything else is warned of. */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null && message != null && message.startsWith("Failed polling endpoint")) {
            LOG.debug(message, exception);
        } else {
            LOG.warn("{}: {}", message, rootMessage(exception));
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

    /** Every vendor polled so far, by name. */
    public Map<String, VendorStatus> status() {
        return Map.copyOf(status);
    }

    private static String vendor(Consumer consumer) {
        Route route = consumer instanceof RouteAware aware ? aware.getRoute() : null;
        String id = route == null ? "unknown" : route.getRouteId();
        return id.startsWith(VendorRoutes.ROUTE_PREFIX) ? id.substring(VendorRoutes.ROUTE_PREFIX.length()) : id;
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
            return "the folder does not exist on the server, and is not created there (" + rootMessage(e) + ")";
        }
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return "the folder cannot be listed: permission denied (" + rootMessage(e) + ")";
        }
        return rootMessage(e);
    }

    /** The root cause as "Type: message", for one log line. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root.getClass().getSimpleName() + ": " + message;
    }
}
