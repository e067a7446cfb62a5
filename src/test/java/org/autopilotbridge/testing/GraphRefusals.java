package org.autopilotbridge.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.StrictRequests.Refused;

/**
 * Every refusal of the stand-in goes through here, so that none answers a malformed request without failing the test
 * that sent it: the requests Graph (or Entra ID) would not have read are kept until {@link GraphStandIn#close()}.
 * Package-private: tests reach it only through {@link GraphStandIn#expectMalformedRequests()}.
 */
final class GraphRefusals {

    final AtomicInteger refusals = new AtomicInteger();
    /** Requests of the service that Graph would not have read at all (see {@link GraphStandIn#close()}). */
    final List<String> malformed = Collections.synchronizedList(new ArrayList<>());
    volatile boolean malformedExpected;
    volatile boolean tornExpected;

    /** Graph's answer to a refused request; one no Graph would read is kept, to fail the test when the stand-in closes. */
    Answer refused(HttpExchange exchange, Refused e) {
        return refused(exchange, exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
    }

    /** The same for {@code request}, which names the call, or the request inside a $batch call. */
    Answer refused(HttpExchange exchange, String request, Refused e) {
        refusals.incrementAndGet();
        if (e.malformed && !(e.torn && tornExpected)) {
            malformed.add(request + ": " + e.status + " " + e.getMessage());
        }
        return GraphAnswers.error(exchange, e.status, e.code, e.getMessage());
    }

    /** Entra ID's refusal of a token request it cannot take, kept like any request Graph would not read. */
    void entraRefused(HttpExchange exchange, int code, String message) {
        refusals.incrementAndGet();
        malformed.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": 400 AADSTS" + code + " " + message);
    }

    /** Fails the test class if the service sent a request Graph would not have read, unless the test expected it. */
    void check() {
        if (!malformed.isEmpty() && !malformedExpected) {
            throw new AssertionError(malformed.size() + " request(s) Graph would not have read, the first: " + malformed.get(0));
        }
    }
}
