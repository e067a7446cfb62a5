package org.autopilotbridge.ops;

import java.util.Set;

import javax.management.ObjectName;

import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.jolokia.server.core.util.RequestType;

/**
 * Jolokia's access policy (management.endpoint.jolokia.config.restrictorClass): the console may read every MBean,
 * but writes no attribute and invokes only the service's two levers and the operations that merely read (Camel's
 * route and statistics dumps, Hawtio's own view of the MBean tree). Stopping a route or changing a setting stays
 * out of reach of anyone who gets hold of the console.
 */
public class ConsoleRestrictor extends AllowAllRestrictor {

    private static final Set<RequestType> TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
            RequestType.VERSION, RequestType.EXEC);
    private static final Set<String> SERVICE_OPERATIONS = Set.of("syncNow", "recheckPendingNow");
    /** Hawtio's MBean tree with what the user may do (RBACRegistry.list) and its per-operation check (canInvoke). */
    private static final Set<String> HAWTIO_READS = Set.of("list", "canInvoke");

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        String type = name.getKeyProperty("type");
        return switch (name.getDomain()) {
            case "org.autopilotbridge" -> "Service".equals(type) && SERVICE_OPERATIONS.contains(operation);
            case "org.apache.camel" -> operation.startsWith("dump");
            case "hawtio" -> "security".equals(type) && HAWTIO_READS.contains(operation);
            default -> false;
        };
    }
}
