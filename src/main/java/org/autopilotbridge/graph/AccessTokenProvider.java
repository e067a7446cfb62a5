package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * OAuth2 client credentials (a secret or a certificate assertion). The token is kept until shortly before
 * {@code expires_in} runs out and replaced early when Graph answers 401. A failing token endpoint is retried as
 * {@link RetryPolicy} decides when the failure is passing (429, 5xx, no answer) and reported with its AADSTS code
 * otherwise. One fetch runs at a time and every caller that needs a token waits for it; a health check never waits
 * longer than it is willing to. Neither the credential nor a token is ever logged. One per tenant ({@link TenantGraphs}).
 */
public class AccessTokenProvider implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenProvider.class);

    /** Whether a token is at hand, and if not, why the last attempt to get one failed (null: none failed yet). */
    public record Status(boolean valid, TokenException failure) {
    }

    private final Tenant tenant;
    private final ClientCredential credential;
    private final GraphHttp http;
    private final RetryPolicy retry;
    private final ObjectReader treeReader;
    private final ServiceEvents events;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "token-fetch");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();
    private final AtomicInteger fetched = new AtomicInteger();
    private String token;
    private Instant refreshAt = Instant.MIN;
    /** The fetch under way, which every caller needing a token waits for; null when none runs. */
    private CompletableFuture<String> fetching;
    private volatile TokenException lastFailure;

    AccessTokenProvider(Tenant tenant, ClientCredential credential, GraphHttp http, RetryPolicy retry, ObjectMapper json,
                        ServiceEvents events) {
        this.tenant = tenant;
        this.credential = credential;
        this.http = http;
        this.retry = retry;
        this.treeReader = json.readerFor(JsonNode.class);
        this.events = events;
    }

    /** A valid token, fetched (and retried) first if there is none; blocks while the fetch runs. */
    public String token() throws TokenException {
        CompletableFuture<String> fetch;
        boolean mine = false;
        synchronized (lock) {
            if (token != null && Instant.now().isBefore(refreshAt)) {
                return token;
            }
            if (fetching == null) {
                fetching = new CompletableFuture<>();
                mine = true;
            }
            fetch = fetching;
        }
        if (mine) {
            fetchInto(fetch);
        }
        try {
            return fetch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoppingException stopping) {
                throw stopping;
            }
            throw (TokenException) e.getCause();
        }
    }

    /**
     * Whether a token can be had, waiting at most {@code patience}: for a health check, which must answer at once
     * even while the token endpoint is down and the fetch sleeps through its backoff.
     */
    public Status status(Duration patience) {
        CompletableFuture<String> fetch;
        synchronized (lock) {
            if (token != null && Instant.now().isBefore(refreshAt)) {
                return new Status(true, null);
            }
            if (fetching == null) {
                CompletableFuture<String> started = new CompletableFuture<>();
                fetching = started;
                background.execute(() -> fetchInto(started));
            } else if (lastFailure != null) {
                // A fetch that already failed is backing off: its outcome is known until it succeeds.
                return new Status(false, lastFailure);
            }
            fetch = fetching;
        }
        try {
            fetch.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return new Status(true, null);
        } catch (ExecutionException e) {
            return new Status(false, e.getCause() instanceof TokenException failed ? failed : lastFailure);
        } catch (TimeoutException e) {
            return new Status(false, lastFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, lastFailure);
        }
    }

    /** Graph refused {@code rejected}: the next call fetches a new token, unless another thread already did. */
    void invalidate(String rejected) {
        synchronized (lock) {
            if (rejected.equals(token)) {
                token = null;
            }
        }
    }

    /** How many tokens were obtained since start. */
    public int tokensFetched() {
        return fetched.get();
    }

    /** Runs one fetch (with its retries) and hands its outcome to every caller waiting for it. */
    private void fetchInto(CompletableFuture<String> fetch) {
        String fresh = null;
        TokenException failure = null;
        try {
            fresh = fetch();
        } catch (TokenException e) {
            failure = e;
        } catch (StoppingException e) {
            synchronized (lock) {
                fetching = null;
            }
            fetch.completeExceptionally(e);
            return;
        } catch (RuntimeException e) {
            failure = new TokenException(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        }
        lastFailure = failure;
        synchronized (lock) {
            fetching = null;
        }
        if (failure == null) {
            fetch.complete(fresh);
        } else {
            events.error(failure.describe());
            fetch.completeExceptionally(failure);
        }
    }

    private String fetch() throws TokenException {
        RetryPolicy.Attempts attempts = retry.start();
        while (true) {
            TokenException failure;
            Duration retryAfter = null;
            try {
                GraphHttp.Response<JsonNode> response = http.execute(request(), treeReader);
                if (response.ok()) {
                    return accept(response.body());
                }
                failure = failure(response.error(), response.status());
                if (!RetryPolicy.retryable(response.status(), true)) {
                    throw failure;
                }
                retryAfter = retry.serverWait(response.retryAfter());
            } catch (IOException e) {
                failure = new TokenException(0, e.getClass().getSimpleName(), "token endpoint unreachable: " + e.getMessage());
            }
            lastFailure = failure;
            Optional<Duration> delay = attempts.next(retryAfter);
            if (delay.isEmpty()) {
                throw failure;
            }
            LOG.warn("Token request failed ({}); attempt {} of {}, retrying in {} ms", failure.describe(),
                    attempts.made() - 1, attempts.allowed(), delay.get().toMillis());
            retry.pause(delay.get());
        }
    }

    @Override
    public void destroy() {
        background.shutdownNow();
    }

    private HttpPost request() {
        String url = tokenUrl();
        HttpPost post = new HttpPost(URI.create(url));
        List<NameValuePair> form = new ArrayList<>(List.of(
                new BasicNameValuePair("grant_type", "client_credentials"),
                new BasicNameValuePair("client_id", tenant.clientId()),
                new BasicNameValuePair("scope", scope())));
        form.addAll(credential.formFields(url));
        post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        return post;
    }

    String tokenUrl() {
        return stripSlash(tenant.authority().toString()) + "/" + tenant.tenantId() + "/oauth2/v2.0/token";
    }

    /** The .default scope of the Graph host in use, so national clouds and local stand-ins work alike. */
    private String scope() {
        URI graph = tenant.graph();
        return graph.getScheme() + "://" + graph.getAuthority() + "/.default";
    }

    private String accept(JsonNode node) throws TokenException {
        String accessToken = node == null ? null : node.path("access_token").asText(null);
        long expiresIn = node == null ? 0 : node.path("expires_in").asLong(0);
        if (accessToken == null || expiresIn <= 0) {
            throw new TokenException(200, null, "token endpoint answered without access_token or expires_in");
        }
        long margin = Math.min(300, expiresIn / 2);
        synchronized (lock) {
            token = accessToken;
            refreshAt = Instant.now().plus(Duration.ofSeconds(expiresIn - margin));
        }
        fetched.incrementAndGet();
        LOG.info("Obtained an access token for tenant {}, valid for {} s", tenant.describe(), expiresIn);
        return accessToken;
    }

    private static TokenException failure(JsonNode node, int status) {
        if (!node.has("error")) {
            return new TokenException(status, null, "token endpoint answered without an OAuth error body");
        }
        String description = node.path("error_description").asText("");
        int newline = description.indexOf('\n');
        String firstLine = (newline < 0 ? description : description.substring(0, newline)).strip();
        return new TokenException(status, node.path("error").asText(null), firstLine);
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
