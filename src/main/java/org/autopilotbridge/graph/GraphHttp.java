package org.autopilotbridge.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.autopilotbridge.config.GraphProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one HTTP client for the token endpoint and Graph, through {@code autopilot.proxy-url} when set. Apache HttpClient's automatic retries are switched off:
 * since 5.5 its retry strategy honours Retry-After by itself, which looks like a hung request for up to an hour.
 * Every retry is decided by {@link RetryPolicy}, where it can be seen and bounded.
 */
@Component
class GraphHttp implements DisposableBean {

    /**
     * An answer. A successful answer's body is read straight from the connection into {@code body}, by the reader
     * the caller gave: an import's answer or a list page can be megabytes long, and properties the reader does not
     * keep (hardware hashes) are skipped, not held. Any other answer's body is kept as a JSON tree in {@code error}
     * ({@link MissingNode} when it is not JSON). {@code unreadable} says why a successful body could not be read.
     */
    record Response<T>(int status, T body, JsonNode error, String retryAfter, String requestId, String unreadable) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final CloseableHttpClient http;
    private final ObjectMapper json;

    GraphHttp(GraphProperties properties, ObjectMapper json) {
        this.json = json;
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(15))
                                .setSocketTimeout(Timeout.ofSeconds(180))
                                .build())
                        .setMaxConnTotal(16)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(180)).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement();
        if (properties.hasProxy()) {
            URI url = properties.getProxyUrl();
            HttpHost proxy = new HttpHost(url.getScheme(), url.getHost(), url.getPort() > 0 ? url.getPort() : 8080);
            builder.setProxy(proxy);
            if (properties.getProxyUser() != null && !properties.getProxyUser().isBlank()) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                String password = properties.getProxyPassword() == null ? "" : properties.getProxyPassword();
                credentials.setCredentials(new AuthScope(proxy),
                        new UsernamePasswordCredentials(properties.getProxyUser(), password.toCharArray()));
                builder.setDefaultCredentialsProvider(credentials);
            }
        }
        this.http = builder.build();
    }

    /** Executes the request; a successful answer's body is read with {@code reader} (null: no body wanted). */
    <T> Response<T> execute(ClassicHttpRequest request, ObjectReader reader) throws IOException {
        return http.execute(request, response -> {
            int status = response.getCode();
            String retryAfter = value(response.getFirstHeader("Retry-After"));
            String requestId = value(response.getFirstHeader("request-id"));
            HttpEntity entity = response.getEntity();
            if (status < 200 || status >= 300 || reader == null || entity == null) {
                return new Response<T>(status, null, tree(entity), retryAfter, requestId, null);
            }
            try (InputStream in = entity.getContent()) {
                T body = reader.readValue(in);
                return new Response<>(status, body, MissingNode.getInstance(), retryAfter, requestId,
                        body == null ? "an empty answer" : null);
            } catch (JsonProcessingException e) {
                return new Response<T>(status, null, MissingNode.getInstance(), retryAfter, requestId,
                        "JSON that cannot be read (" + e.getOriginalMessage() + ")");
            }
        });
    }

    private JsonNode tree(HttpEntity entity) throws IOException {
        if (entity == null) {
            return MissingNode.getInstance();
        }
        try (InputStream in = entity.getContent()) {
            JsonNode node = json.readTree(in);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
