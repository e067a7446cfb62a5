package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * OAuth2 client credentials (a secret or a certificate assertion). The token is kept until shortly before
 * {@code expires_in} runs out and replaced early when Graph answers 401. A failing token endpoint is retried
 * with backoff when the failure is passing (429, 5xx, no answer) and reported with its AADSTS code otherwise.
 * Neither the credential nor a token is ever logged.
 */
@Component
public class AccessTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenProvider.class);

    private final AutopilotProperties properties;
    private final ClientCredential credential;
    private final GraphHttp http;
    private final RetryPolicy retry;
    private final ObjectMapper json;
    private final ServiceEvents events;
    private String token;
    private Instant refreshAt = Instant.MIN;
    private int fetched;

    AccessTokenProvider(AutopilotProperties properties, ClientCredential credential, GraphHttp http, RetryPolicy retry,
                        ObjectMapper json, ServiceEvents events) {
        this.properties = properties;
        this.credential = credential;
        this.http = http;
        this.retry = retry;
        this.json = json;
        this.events = events;
    }

    public synchronized String token() throws TokenException {
        if (token == null || !Instant.now().isBefore(refreshAt)) {
            try {
                fetch();
            } catch (TokenException e) {
                events.error(e.describe());
                throw e;
            }
        }
        return token;
    }

    /** Graph refused {@code rejected}: the next call fetches a new token, unless another thread already did. */
    public synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    /** How many tokens were obtained since start. */
    public synchronized int tokensFetched() {
        return fetched;
    }

    private void fetch() throws TokenException {
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            TokenException failure;
            String retryAfter = null;
            try {
                GraphHttp.Response response = http.execute(request());
                if (response.ok()) {
                    accept(response.body());
                    return;
                }
                failure = failure(response);
                if (response.status() != 429 && response.status() < 500) {
                    throw failure;
                }
                retryAfter = response.retryAfter();
            } catch (IOException e) {
                failure = new TokenException(0, e.getClass().getSimpleName(), "token endpoint unreachable: " + e.getMessage());
            }
            Duration delay = retry.delay(attempt, retryAfter);
            if (attempt >= retry.maxAttempts() || !retry.mayWait(waited, delay)) {
                throw failure;
            }
            LOG.warn("Token request failed ({}); attempt {} of {}, retrying in {} ms", failure.describe(), attempt,
                    retry.maxAttempts(), delay.toMillis());
            RetryPolicy.sleep(delay);
            waited = waited.plus(delay);
        }
    }

    private HttpPost request() {
        String url = tokenUrl();
        HttpPost post = new HttpPost(URI.create(url));
        List<NameValuePair> form = new ArrayList<>(List.of(
                new BasicNameValuePair("grant_type", "client_credentials"),
                new BasicNameValuePair("client_id", properties.getClientId()),
                new BasicNameValuePair("scope", scope())));
        form.addAll(credential.formFields(url));
        post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        return post;
    }

    String tokenUrl() {
        return stripSlash(properties.authority().toString()) + "/" + properties.getTenantId() + "/oauth2/v2.0/token";
    }

    /** The .default scope of the Graph host in use, so national clouds and local stand-ins work alike. */
    private String scope() {
        URI graph = properties.graph();
        return graph.getScheme() + "://" + graph.getAuthority() + "/.default";
    }

    private void accept(JsonNode node) throws TokenException {
        String accessToken = node.path("access_token").asText(null);
        long expiresIn = node.path("expires_in").asLong(0);
        if (accessToken == null || expiresIn <= 0) {
            throw new TokenException(200, null, "token endpoint answered without access_token or expires_in");
        }
        long margin = Math.min(300, expiresIn / 2);
        token = accessToken;
        refreshAt = Instant.now().plus(Duration.ofSeconds(expiresIn - margin));
        fetched++;
        LOG.info("Obtained an access token for tenant {}, valid for {} s", properties.getTenantId(), expiresIn);
    }

    private TokenException failure(GraphHttp.Response response) {
        JsonNode node = response.body();
        if (!node.has("error")) {
            return new TokenException(response.status(), null, "token endpoint answered without an OAuth error body");
        }
        String description = node.path("error_description").asText("");
        int newline = description.indexOf('\n');
        String firstLine = (newline < 0 ? description : description.substring(0, newline)).strip();
        return new TokenException(response.status(), node.path("error").asText(null), firstLine);
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
