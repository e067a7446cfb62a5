package org.autopilotbridge.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;

import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.jolokia.server.core.util.RequestType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Jolokia's access policy (management.endpoint.jolokia.config.restrictorClass): the console may read the MBeans,
 * but writes no attribute and invokes only the service's two levers and the few operations that merely read which
 * Hawtio's Camel views call. Stopping a route or changing a setting stays out of reach of anyone who gets hold of
 * the console.
 * <p>
 * On loopback there is no login, so any web page open in a browser on this machine could otherwise talk to Jolokia:
 * requests are refused when they come from a page of another origin (their Origin or Referer is not this service's
 * scheme://host:port), and operations are run only by POST, which Hawtio uses and which the browser sends with an
 * Origin and Spring Security with its CSRF token. A GET needs neither, and an image tag can send one.
 */
public class ConsoleRestrictor extends AllowAllRestrictor {

    private static final Set<RequestType> TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC);
    private static final Set<String> SERVICE_OPERATIONS = Set.of("syncNow", "recheckPendingNow");
    /** Hawtio's MBean tree with what the user may do (RBACRegistry.list) and its per-operation check (canInvoke). */
    private static final Set<String> HAWTIO_READS = Set.of("list", "canInvoke");
    /**
     * What Hawtio's Camel plugin calls, by MBean type: the routes' XML for the tree, diagram and source, and the
     * statistics for the diagram and the profile. The XML only in its form without arguments, which leaves
     * placeholders unresolved: dumpRoutesAsXml(true) would show every {{secret}} resolved. No other dump: the
     * tracer's show message headers, the dump strategy writes files.
     */
    private static final Map<String, Set<String>> CAMEL_READS = Map.of(
            "context", Set.of("dumpRoutesAsXml()", "dumpRoutesStatsAsXml"),
            "routes", Set.of("dumpRouteStatsAsXml"));
    /**
     * The JVM's command line and system properties, where a secret ends up when it is passed as -D despite
     * docs/installing.md; the rest of the Runtime MBean stays readable.
     */
    private static final Set<String> RUNTIME_HIDDEN = Set.of("SystemProperties", "InputArguments");

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return !("java.lang".equals(name.getDomain()) && "Runtime".equals(name.getKeyProperty("type"))
                && RUNTIME_HIDDEN.contains(attribute));
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        HttpServletRequest request = currentRequest();
        if (request == null || !"POST".equals(request.getMethod())) {
            return false;
        }
        String type = name.getKeyProperty("type");
        return switch (name.getDomain()) {
            case "org.autopilotbridge" -> "Service".equals(type) && listed(SERVICE_OPERATIONS, operation);
            case "org.apache.camel" -> type != null && listed(CAMEL_READS.getOrDefault(type, Set.of()), operation);
            case "hawtio" -> "security".equals(type) && listed(HAWTIO_READS, operation);
            default -> false;
        };
    }

    /**
     * Jolokia asks with the request's Origin header, or its Referer when it has none; strictly to let the request in
     * at all, otherwise to answer it with CORS headers. A request with neither comes from a script or Prometheus, not
     * from a page in a browser.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        if (origin == null) {
            return true;
        }
        HttpServletRequest request = currentRequest();
        return request != null && sameOrigin(origin, request);
    }

    /**
     * Whether {@code operation}, as the request names it (with or without its signature), is one of {@code allowed}:
     * an entry with a signature admits exactly that one, a bare name every overload.
     */
    private static boolean listed(Set<String> allowed, String operation) {
        int signature = operation.indexOf('(');
        return allowed.contains(operation) || signature > 0 && allowed.contains(operation.substring(0, signature));
    }

    /**
     * Whether {@code origin} (an Origin, or a Referer's URL) has the scheme, host and port the request was sent to.
     * "null", the Origin of a sandboxed or file: page, has none.
     */
    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            return scheme != null && uri.getHost() != null
                    && scheme.equalsIgnoreCase(request.getScheme())
                    && bare(uri.getHost()).equals(bare(request.getServerName()))
                    && port(uri) == request.getServerPort();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The HTTP request Jolokia is answering: Spring's request context filter holds it for the servlet's thread. */
    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
