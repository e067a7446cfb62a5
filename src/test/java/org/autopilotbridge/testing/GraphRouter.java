package org.autopilotbridge.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.GraphStandIn.Received;
import org.autopilotbridge.testing.StrictRequests.Refused;

import static org.autopilotbridge.testing.GraphAnswers.JSON;
import static org.autopilotbridge.testing.GraphAnswers.error;
import static org.autopilotbridge.testing.GraphAnswers.send;
import static org.autopilotbridge.testing.StagedRecords.COLLECTION;

/**
 * The HTTP side of the stand-in: reads each request strictly, finds the tenant it is for (named in the token
 * endpoint's path, or by the bearer token's {@code tid} claim), checks that tenant's outage, the token, permissions,
 * read faults and the tenant's budget, and hands it to the tenant's part that serves its URL. Package-private:
 * {@link GraphStandIn} builds it and reads its counts (over every tenant), which is why those fields are package-private.
 */
final class GraphRouter {

    static final String VERSION = "/v1.0";
    /** Graph's beta version: the same resources, and what v1.0 lacks (deployment profiles, see ProfileAssignments). */
    static final String BETA = "/beta";
    private static final String SYNC = "/deviceManagement/windowsAutopilotSettings/sync";
    /** Entra ID's token endpoint of each tenant, {@code /<tenant id>/oauth2/v2.0/token}. */
    private static final Pattern TOKEN_PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");

    private final GraphRefusals refusals;
    private final Function<String, StandInTenant> tenants;
    private final StandInTenant defaultTenant;
    private final Supplier<String> graphUrl;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    final AtomicInteger failingReads = new AtomicInteger();
    volatile int readFailureStatus = 503;
    volatile Duration latency = Duration.ZERO;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    /** {@code tenants}: the tenant with an id, or null when the stand-in serves none with it. */
    GraphRouter(GraphRefusals refusals, Function<String, StandInTenant> tenants, StandInTenant defaultTenant,
            Supplier<String> graphUrl) {
        this.refusals = refusals;
        this.tenants = tenants;
        this.defaultTenant = defaultTenant;
        this.graphUrl = graphUrl;
    }

    void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try {
                body = StrictRequests.body(exchange);
            } catch (Refused e) {
                // What follows on the connection cannot be told from the broken request: end it, as a server does.
                exchange.getResponseHeaders().set("Connection", "close");
                send(exchange, refusals.refused(exchange, e));
                return;
            }
            Matcher tokenPath = TOKEN_PATH.matcher(path);
            boolean tokenCall = method.equals("POST") && tokenPath.matches();
            StandInTenant named = tenants.apply(tokenCall ? tokenPath.group(1) : GraphTokens.tenantOf(exchange));
            // A call naming no tenant the stand-in serves is the default tenant's, as every call was before tenants.
            StandInTenant tenant = named != null ? named : defaultTenant;
            Answer down = tenant.faults().down(exchange);
            if (down != null) {
                send(exchange, down);
                return;
            }
            if (tokenCall) {
                send(exchange, named != null ? named.tokens().token(exchange, body)
                        : GraphTokens.appNotFound(GraphAnswers.form(new String(body, StandardCharsets.UTF_8)),
                                tokenPath.group(1)));
                return;
            }
            received.add(new Received(method, path, exchange.getRequestURI().getRawQuery(), System.currentTimeMillis()));
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Answer answer;
            try {
                GraphAnswers.pause(latency);
                answer = graphCall(exchange, tenant, method, path, body);
            } finally {
                // Before the answer leaves: a client that has it may send its next call while this thread still runs,
                // which counted as one call more in flight than the client ever had.
                inFlight.decrementAndGet();
            }
            send(exchange, answer);
        } catch (RuntimeException e) {
            send(exchange, error(exchange, 500, "InternalServerError", String.valueOf(e)));
        }
    }

    /** A Graph call, served from {@code tenant}'s state only: the tenant its token names. */
    private Answer graphCall(HttpExchange exchange, StandInTenant tenant, String method, String path, byte[] body) {
        boolean beta = path.startsWith(BETA + "/");
        if (!path.startsWith(VERSION + "/") && !beta) {
            // No Graph serves a URL outside its version root: the service built it wrong.
            return refusals.refused(exchange, Refused.malformed(404, "ResourceNotFound", "no such resource " + path));
        }
        GraphTokens tokens = tenant.tokens();
        if (!tokens.authorized(exchange)) {
            return error(exchange, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        }
        if (!tokens.permitted(exchange, method)) {
            return error(exchange, 403, "Forbidden", "Application is not authorized to perform this operation. Application "
                    + "must have one of the following scopes: DeviceManagementServiceConfig.ReadWrite.All");
        }
        if (method.equals("GET") && failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(exchange, readFailureStatus, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
        String relative = path.substring(beta ? BETA.length() : VERSION.length());
        if (!relative.equals("/$batch")) {
            Answer throttled = tenant.faults().throttle(exchange, method);
            if (throttled != null) {
                return throttled;
            }
        }
        try {
            if (method.equals("POST") && relative.equals("/$batch")) {
                return tenant.batches().batch(exchange, StrictRequests.json(exchange, body),
                        (ex, m, r, q, b) -> resource(ex, tenant, m, r, q, b, beta));
            }
            if (method.equals("POST") && relative.equals(SYNC)) {
                if (body.length > 0 && StrictRequests.json(exchange, body).size() > 0) {
                    throw Refused.malformed(400, "BadRequest", "The action 'sync' takes no parameters.");
                }
                return tenant.faults().sync(exchange);
            }
            if (method.equals("POST") && relative.equals(COLLECTION + "/import")) {
                return tenant.imports().importAction(exchange, StrictRequests.json(exchange, body));
            }
            if (method.equals("POST") && relative.equals(COLLECTION)) {
                return tenant.imports().create(exchange, StrictRequests.json(exchange, body));
            }
            if (method.equals("DELETE")) {
                deletes.incrementAndGet();
            }
            return resource(exchange, tenant, method, relative, GraphAnswers.form(exchange.getRequestURI().getRawQuery()),
                    method.equals("POST") ? StrictRequests.json(exchange, body) : null, beta);
        } catch (Refused e) {
            return refusals.refused(exchange, e);
        }
    }

    /**
     * Reads, deletes and the registered devices' actions, the same whether they come as calls of their own or inside a
     * $batch call; {@code body} is the request's JSON body, or null; {@code beta}: the request came to Graph's beta.
     */
    private Answer resource(HttpExchange exchange, StandInTenant tenant, String method, String relative,
                            Map<String, String> query, JsonNode body, boolean beta) throws Refused {
        if (relative.startsWith(RegisteredDevices.COLLECTION)) {
            return registered(tenant, method, relative.substring(RegisteredDevices.COLLECTION.length()), query, body, beta);
        }
        StagedRecords staged = tenant.staged();
        if (relative.equals(COLLECTION) && method.equals("GET")) {
            return staged.list(exchange, query);
        }
        if (relative.startsWith(COLLECTION + "/") && relative.indexOf('/', COLLECTION.length() + 1) < 0) {
            String id = URLDecoder.decode(relative.substring(COLLECTION.length() + 1), StandardCharsets.UTF_8);
            if (method.equals("GET")) {
                return staged.get(exchange, id, query.get("$select"));
            }
            if (method.equals("DELETE")) {
                return staged.delete(exchange, id);
            }
        }
        throw Refused.malformed(400, "BadRequest", "No HTTP resource was found that matches " + method + " " + relative);
    }

    /** The registered devices: the list, one by id (with its profile in beta), and its updateDeviceProperties action. */
    private Answer registered(StandInTenant tenant, String method, String path, Map<String, String> query, JsonNode body,
            boolean beta) throws Refused {
        RegisteredDevices registered = tenant.devices();
        String[] segments = path.split("/");
        if (path.isEmpty() && method.equals("GET")) {
            int skip = GraphAnswers.count(query, "$skiptoken");
            RegisteredDevices.Page page = registered.list(query.get("$filter"), skip);
            ArrayNode value = JSON.createArrayNode();
            page.devices().forEach(value::add);
            return new Answer(200, GraphAnswers.page(graphUrl, value, RegisteredDevices.COLLECTION, query,
                    page.more() ? skip + page.devices().size() : -1));
        }
        String id = segments.length > 1 ? URLDecoder.decode(segments[1], StandardCharsets.UTF_8) : "";
        if (segments.length == 2 && method.equals("GET")) {
            return new Answer(200, tenant.profiles().shown(registered.read(id), query.get("$expand"), beta));
        }
        if (segments.length == 3 && segments[2].equals(RegisteredDevices.UPDATE_ACTION) && method.equals("POST")) {
            registered.update(id, body);
            return new Answer(204, null);
        }
        throw Refused.malformed(400, "BadRequest", "No HTTP resource was found that matches " + method + " "
                + RegisteredDevices.COLLECTION + path);
    }
}
