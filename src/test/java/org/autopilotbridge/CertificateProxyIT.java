package org.autopilotbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.autopilotbridge.testing.ForwardProxy;
import org.autopilotbridge.testing.GraphStandIn;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A certificate credential instead of a secret, and every call through an authenticating corporate proxy:
 * the stand-in's token endpoint verifies the signed client assertion, and the proxy relays every request.
 */
@CamelSpringBootTest
@SpringBootTest(classes = AutopilotBridgeApplication.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class CertificateProxyIT {

    private static final String KEY_PASSWORD = "pfx-password-4d1e";
    private static final String PROXY_PASSWORD = "proxy-password-9c2a";
    private static final ServiceFolders FOLDERS = ServiceFolders.create();
    private static final Path PFX = TestCertificates.pkcs12(FOLDERS.root(), KEY_PASSWORD);
    private static final GraphStandIn GRAPH = new GraphStandIn("no-secret-here");
    private static final ForwardProxy PROXY = new ForwardProxy("svc-autopilot", PROXY_PASSWORD);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException, GeneralSecurityException {
        GRAPH.tokens().expectCertificate(TestCertificates.certificate(PFX, KEY_PASSWORD));
        FOLDERS.register(registry);
        GRAPH.register(registry, false);
        registry.add("autopilot.client-certificate", PFX::toString);
        registry.add("autopilot.client-certificate-password", () -> KEY_PASSWORD);
        registry.add("autopilot.proxy-url", PROXY::url);
        registry.add("autopilot.proxy-user", () -> "svc-autopilot");
        registry.add("autopilot.proxy-password", () -> PROXY_PASSWORD);
        registry.add("autopilot.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stop() {
        GRAPH.close();
        PROXY.close();
    }

    @Test
    void signsInWithTheCertificateAndSendsEveryCallThroughTheProxy(CapturedOutput output) throws Exception {
        List<Map<String, String>> rows = FOLDERS.importDevices("cert.csv", new Random(9), "CERT-1", "CERT-2");
        // Clean-up follows the report; once it is done, no call is on its way while the two sides are counted.
        GRAPH.staged().awaitCleanedUp("CERT-");

        assertThat(rows).extracting(r -> r.get("Outcome")).containsOnly("imported");
        SignedJWT assertion = GRAPH.tokens().lastAssertion();
        assertThat(assertion).as("a verified client assertion").isNotNull();
        assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(assertion.getHeader().getX509CertSHA256Thumbprint())
                .isEqualTo(TestCertificates.thumbprint(TestCertificates.certificate(PFX, KEY_PASSWORD)));
        JWTClaimsSet claims = assertion.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(GRAPH.tokenUrl());
        assertThat(claims.getIssuer()).isEqualTo(GraphStandIn.CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(GraphStandIn.CLIENT_ID);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(Duration.between(claims.getNotBeforeTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));

        assertThat(PROXY.challenged()).as("proxy asked for credentials").isPositive();
        assertThat(PROXY.forwarded()).as("every request the stand-in saw came through the proxy").isEqualTo(GRAPH.requests());
        assertThat(output.getAll()).doesNotContain(KEY_PASSWORD).doesNotContain(PROXY_PASSWORD)
                .doesNotContain(assertion.serialize());
    }
}
