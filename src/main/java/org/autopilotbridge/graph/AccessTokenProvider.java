package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.autopilotbridge.AutopilotProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * OAuth2 client credentials with a client secret. The token is kept until shortly before {@code expires_in}
 * runs out and replaced early when Graph answers 401. Neither the secret nor a token is ever logged.
 */
@Component
public class AccessTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenProvider.class);
    private static final int MAX_ATTEMPTS = 3;

    private final AutopilotProperties properties;
    private final GraphHttp http;
    private final ObjectMapper json;
    private String token;
    private Instant refreshAt = Instant.MIN;

    AccessTokenProvider(AutopilotProperties properties, GraphHttp http, ObjectMapper json) {
        this.properties = properties;
        this.http = http;
        this.json = json;
    }

    public synchronized String token() throws TokenException {
        if (token == null || !Instant.now().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    /** Graph refused {@code rejected}: the next call fetches a new token, unless another thread already did. */
    public synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws TokenException {
        for (int attempt = 1; ; attempt++) {
            GraphHttp.Response response;
            try {
                response = http.execute(request());
            } catch (IOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new TokenException(0, null, "token endpoint unreachable: " + e.getMessage());
                }
                RetryPolicy.sleep(RetryPolicy.delay(attempt, null));
                continue;
            }
            if (response.ok()) {
                accept(response.body());
                return;
            }
            TokenException failure = failure(response);
            boolean transientFailure = response.status() == 429 || response.status() >= 500;
            if (!transientFailure || attempt >= MAX_ATTEMPTS) {
                throw failure;
            }
            LOG.warn("Token request failed, retrying: {}", failure.describe());
            RetryPolicy.sleep(RetryPolicy.delay(attempt, response.retryAfter()));
        }
    }

    private HttpPost request() {
        URI url = URI.create(stripSlash(properties.getAuthorityUrl().toString()) + "/" + properties.getTenantId()
                + "/oauth2/v2.0/token");
        HttpPost post = new HttpPost(url);
        List<NameValuePair> form = List.of(
                new BasicNameValuePair("grant_type", "client_credentials"),
                new BasicNameValuePair("client_id", properties.getClientId()),
                new BasicNameValuePair("client_secret", properties.getClientSecret()),
                new BasicNameValuePair("scope", scope()));
        post.setEntity(new UrlEncodedFormEntity(form, java.nio.charset.StandardCharsets.UTF_8));
        return post;
    }

    /** The .default scope of the Graph host in use, so national clouds and local stand-ins work alike. */
    private String scope() {
        URI graph = properties.getGraphUrl();
        return graph.getScheme() + "://" + graph.getAuthority() + "/.default";
    }

    private void accept(String body) throws TokenException {
        try {
            JsonNode node = json.readTree(body);
            String accessToken = node.path("access_token").asText(null);
            long expiresIn = node.path("expires_in").asLong(0);
            if (accessToken == null || expiresIn <= 0) {
                throw new TokenException(200, null, "token endpoint answered without access_token or expires_in");
            }
            long margin = Math.min(300, expiresIn / 2);
            token = accessToken;
            refreshAt = Instant.now().plus(Duration.ofSeconds(expiresIn - margin));
            LOG.info("Obtained an access token for tenant {}, valid for {} s", properties.getTenantId(), expiresIn);
        } catch (IOException e) {
            throw new TokenException(200, null, "token endpoint answered with unreadable JSON");
        }
    }

    private TokenException failure(GraphHttp.Response response) {
        try {
            JsonNode node = json.readTree(response.body());
            String description = node.path("error_description").asText("");
            int newline = description.indexOf('\n');
            String firstLine = (newline < 0 ? description : description.substring(0, newline)).strip();
            return new TokenException(response.status(), node.path("error").asText(null), firstLine);
        } catch (IOException | RuntimeException e) {
            return new TokenException(response.status(), null, "token endpoint answered without an OAuth error body");
        }
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
