package org.autopilotbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * The readiness probe during a token endpoint outage, as a kubelet or a load balancer sends it: GraphHealth promises an
 * answer within a second while the service backs off from the token endpoint. Each probe is timed from the bench JVM;
 * the outage is the stand-in's: tokens expired, then the next token requests answered 503, while a file needs Graph.
 */
final class ReadinessProbe {

    /** Token requests answered 503 before one gets a token: with the default backoff, about 1 + 2 + 4 s of outage. */
    private static final int FAILED_TOKEN_REQUESTS = 3;
    /** How often a prober asks; a kubelet's shortest period is a second, so this is stricter. */
    private static final Duration PERIOD = Duration.ofMillis(200);

    /** How many probes were answered during the outage, how many of them DOWN (503), and the slowest of those. */
    record Figures(int probes, int down, Duration slowestDown) {
    }

    private ReadinessProbe() {
    }

    static Figures duringTokenOutage(GraphStandIn graph, ServiceFolders folders, int port) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(30)).build();
        graph.tokens().expireAll();
        graph.tokens().failNext(FAILED_TOKEN_REQUESTS, 503);
        int outageEnds = graph.tokens().requests() + FAILED_TOKEN_REQUESTS + 1;
        // A Graph call meets the expired token, so the service fetches a new one through the outage.
        HashFiles.drop(folders.inbox(), "token-outage.csv", HashFiles.encode(List.of("Device Serial Number,Hardware Hash",
                "PROBE-1," + HashFiles.hash(new Random(1))), "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        int probes = 0;
        int down = 0;
        Duration slowest = Duration.ZERO;
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (graph.tokens().requests() < outageEnds && System.nanoTime() < giveUp) {
            long start = System.nanoTime();
            int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            probes++;
            if (status == 503) {
                down++;
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
            // The prober's period, not a wait for the service: the loop ends when the stand-in issues a token again.
            Thread.sleep(PERIOD.toMillis());
        }
        return new Figures(probes, down, slowest);
    }
}
