package org.autopilotbridge.graph;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.autopilotbridge.AutopilotProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one HTTP client for the token endpoint and Graph, through {@code autopilot.proxy-url} when set. Apache HttpClient's automatic retries are switched off:
 * since 5.5 its retry strategy honours Retry-After by itself, which looks like a hung request for up to an hour.
 * Every retry is decided by {@link RetryPolicy}, where it can be seen and bounded.
 */
@Component
class GraphHttp implements DisposableBean {

    record Response(int status, String body, String retryAfter, String requestId) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final CloseableHttpClient http;

    GraphHttp(AutopilotProperties properties) {
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

    Response execute(ClassicHttpRequest request) throws IOException {
        return http.execute(request, response -> new Response(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                value(response.getFirstHeader("Retry-After")),
                value(response.getFirstHeader("request-id"))));
    }

    private static String value(Header header) {
        return header == null ? null : header.getValue();
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
