package org.autopilotbridge.testing;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;

import org.autopilotbridge.testing.GraphAnswers.Answer;
import org.autopilotbridge.testing.GraphAnswers.Scripted;

import static org.autopilotbridge.testing.GraphAnswers.JSON;
import static org.autopilotbridge.testing.GraphStandIn.CLIENT_ID;

/**
 * The stand-in's Entra ID for one tenant: its token endpoint, whether the app has consent in the tenant, the tokens it
 * issued (each naming the tenant in its {@code tid} claim) and the roles they carry, and the bearer-token checks on
 * every Graph call served from this tenant. Tests reach it through {@link GraphStandIn#tokens()} for the default
 * tenant and {@link StandInTenant#tokens()} for another.
 */
public final class GraphTokens {

    /** Signs the access tokens the stand-in issues; one per test JVM, as Entra ID has a few for everyone. */
    private static final RSAKey TOKEN_KEY = tokenKey();

    private final String tenant;
    private final String clientSecret;
    private final Supplier<String> baseUrl;
    private final GraphRefusals refusals;
    /** Each valid token with the application permissions (roles) it was issued with. */
    private final Map<String, List<String>> validTokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final Deque<Scripted> tokenScript = new ConcurrentLinkedDeque<>();
    private final Set<String> assertionIds = ConcurrentHashMap.newKeySet();
    private volatile X509Certificate certificate;
    private volatile SignedJWT lastAssertion;
    /** The application permissions in each new token's roles claim; Entra ID leaves the claim out when there are none. */
    private volatile List<String> roles = List.of("DeviceManagementServiceConfig.ReadWrite.All");
    /** Whether an admin of the tenant consented to the app, which puts the app's service principal in the tenant. */
    private volatile boolean consented = true;

    GraphTokens(String tenant, String clientSecret, Supplier<String> baseUrl, GraphRefusals refusals) {
        this.tenant = tenant;
        this.clientSecret = clientSecret;
        this.baseUrl = baseUrl;
        this.refusals = refusals;
    }

    String tokenUrl() {
        return baseUrl.get() + "/" + tenant + "/oauth2/v2.0/token";
    }

    boolean authorized(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.containsKey(auth.substring(7))) {
            unauthorized.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Writes need DeviceManagementServiceConfig.ReadWrite.All; reads also take its Read.All. */
    boolean permitted(HttpExchange exchange, String method) {
        List<String> granted = validTokens.get(exchange.getRequestHeaders().getFirst("Authorization").substring(7));
        return granted.contains("DeviceManagementServiceConfig.ReadWrite.All")
                || (method.equals("GET") && granted.contains("DeviceManagementServiceConfig.Read.All"));
    }

    /**
     * Entra ID's token endpoint. It reads the form only with the form content type, and takes only the .default scope
     * of the Graph it serves (the stand-in's own scheme and host, as {@code https://graph.microsoft.us/.default} for
     * US Government): anything else is answered 400 as Entra answers it, and recorded as a request no Entra would take.
     */
    Answer token(HttpExchange exchange, byte[] body) {
        tokenRequests.incrementAndGet();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().matches("application/x-www-form-urlencoded\\s*(;.*)?")) {
            return entraRefusal(exchange, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'grant_type'.");
        }
        Map<String, String> form = GraphAnswers.form(new String(body, StandardCharsets.UTF_8));
        if (!consented) {
            return appNotFound(form, tenant);
        }
        Scripted scripted = tokenScript.poll();
        if (scripted != null && scripted.status() >= 500) {
            return new Answer(scripted.status(), JSON.createObjectNode().put("error", "temporarily_unavailable")
                    .put("error_description", "AADSTS50196: The server terminated an operation because it encountered "
                            + "a client request loop.\r\nTrace ID: 0000"));
        }
        String scope = baseUrl.get() + "/.default";
        if (!scope.equals(form.get("scope"))) {
            return entraRefusal(exchange, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is "
                    + "not valid. The scope " + form.get("scope") + " is not valid.");
        }
        boolean ok = scripted == null && "client_credentials".equals(form.get("grant_type"))
                && CLIENT_ID.equals(form.get("client_id")) && credentialValid(form);
        if (!ok) {
            ObjectNode answer = JSON.createObjectNode()
                    .put("error", "invalid_client")
                    .put("error_description", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                            + "in the request is the client secret value.\r\nTrace ID: 0000\r\nCorrelation ID: 0000");
            return new Answer(401, answer);
        }
        String token = accessToken();
        validTokens.put(token, roles);
        return new Answer(200, JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", 3599)
                .put("ext_expires_in", 3599).put("access_token", token));
    }

    /**
     * Entra ID's answer when the app has no service principal in the directory the token endpoint names (no admin of
     * that tenant consented to it, or no such tenant): 400 {@code unauthorized_client} with AADSTS700016, found before
     * the credential or the scope is looked at. A service meets it in normal operation, so it is not kept as a request
     * Graph would not read.
     */
    static Answer appNotFound(Map<String, String> form, String directory) {
        String description = "AADSTS700016: Application with identifier '" + form.getOrDefault("client_id", "")
                + "' was not found in the directory '" + directory + "'. This can happen if the application has not been "
                + "installed by the administrator of the tenant or consented to by any user in the tenant. You may have "
                + "sent your authentication request to the wrong tenant.\r\nTrace ID: 0000\r\nCorrelation ID: 0000";
        return new Answer(400, JSON.createObjectNode().put("error", "unauthorized_client")
                .put("error_description", description)
                .put("error_uri", "https://login.microsoftonline.com/error?code=700016")
                .set("error_codes", JSON.createArrayNode().add(700016)));
    }

    /**
     * The tenant a bearer token says it is for (its {@code tid} claim), or null for a request without one the stand-in
     * could have issued: Graph serves a call from the tenant its token names.
     */
    static String tenantOf(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return null;
        }
        try {
            return SignedJWT.parse(auth.substring(7)).getJWTClaimsSet().getStringClaim("tid");
        } catch (ParseException e) {
            return null;
        }
    }

    /** Entra ID's 400 for a token request it cannot take, kept like any request Graph would not read. */
    private Answer entraRefusal(HttpExchange exchange, String error, int code, String message) {
        refusals.entraRefused(exchange, code, message);
        return new Answer(400, JSON.createObjectNode().put("error", error)
                .put("error_description", "AADSTS" + code + ": " + message + "\r\nTrace ID: 0000\r\nCorrelation ID: 0000")
                .set("error_codes", JSON.createArrayNode().add(code)));
    }

    /** An access token as Entra ID issues one: a JWT signed with RS256, for Graph, with the granted roles. */
    private String accessToken() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .audience("https://graph.microsoft.com")
                .issuer("https://sts.windows.net/" + tenant + "/")
                .claim("appid", CLIENT_ID)
                .claim("tid", tenant)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3599)))
                .jwtID(UUID.randomUUID().toString());
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(TOKEN_KEY.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(TOKEN_KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A client secret, or a client assertion: signed by the expected certificate's key, for this endpoint. */
    private boolean credentialValid(Map<String, String> form) {
        if (certificate == null) {
            return clientSecret.equals(form.get("client_secret"));
        }
        try {
            SignedJWT jwt = SignedJWT.parse(form.getOrDefault("client_assertion", ""));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            boolean valid = TestCertificates.ASSERTION_TYPE.equals(form.get("client_assertion_type"))
                    && jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))
                    && TestCertificates.thumbprint(certificate).equals(jwt.getHeader().getX509CertSHA256Thumbprint())
                    && claims.getAudience().equals(List.of(tokenUrl()))
                    && CLIENT_ID.equals(claims.getIssuer()) && CLIENT_ID.equals(claims.getSubject())
                    && claims.getJWTID() != null && assertionIds.add(claims.getJWTID())
                    && !claims.getNotBeforeTime().toInstant().isAfter(now.plusSeconds(5))
                    && claims.getExpirationTime().toInstant().isAfter(now);
            if (valid) {
                lastAssertion = jwt;
            }
            return valid;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    private static RSAKey tokenKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("stand-in").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public int requests() { return tokenRequests.get(); }
    /** Graph calls answered 401 for their bearer token. */
    public int unauthorized() { return unauthorized.get(); }

    /** The last client assertion the token endpoint accepted. */
    public SignedJWT lastAssertion() {
        return lastAssertion;
    }

    /** Every token issued so far stops working, as after expiry: Graph answers 401 until a new one is fetched. */
    public void expireAll() {
        validTokens.clear();
    }

    /** The application permissions granted to the app (with admin consent), as new tokens will carry them. */
    public void grantRoles(String... granted) {
        roles = List.of(granted);
    }

    /** The next {@code count} token requests fail: 400 is a refused credential, 5xx a passing outage. */
    public void failNext(int count, int status) {
        GraphAnswers.script(tokenScript, count, new Scripted(status, null, false));
    }

    /**
     * Whether the app has admin consent in this tenant (it has unless told otherwise). Without it every token request
     * is answered as Entra answers it ({@link #appNotFound}); granted again, the next request gets a token. Tokens
     * issued before consent was taken away keep working until they expire, as Entra's do ({@link #expireAll}).
     */
    public void consent(boolean granted) {
        consented = granted;
    }

    /** Token requests must carry a client assertion signed for this certificate. */
    public void expectCertificate(X509Certificate expected) {
        certificate = expected;
    }
}
