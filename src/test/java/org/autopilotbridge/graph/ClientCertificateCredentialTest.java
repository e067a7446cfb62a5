package org.autopilotbridge.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import org.autopilotbridge.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertificateCredentialTest {

    private static final String TOKEN_URL = "https://login.microsoftonline.us/contoso/oauth2/v2.0/token";

    @TempDir
    Path dir;

    @Test
    void signsAnAssertionWithAKeyFromPkcs12() throws Exception {
        Path pfx = TestCertificates.pkcs12(dir, "secret-1");
        assertValidAssertion(ClientCertificateCredential.load("app-1", pfx, "secret-1"), TestCertificates.certificate(pfx, "secret-1"));
    }

    @Test
    void signsAnAssertionWithAKeyFromPem() throws Exception {
        Path pfx = TestCertificates.pkcs12(dir, "secret-2");
        Path pem = TestCertificates.pem(pfx, "secret-2", dir.resolve("client.pem"));
        assertValidAssertion(ClientCertificateCredential.load("app-1", pem, null), TestCertificates.certificate(pfx, "secret-2"));
    }

    @Test
    void aWrongPasswordIsAStartUpErrorNamingTheKeyButNotThePassword() {
        Path pfx = TestCertificates.pkcs12(dir, "right-password");

        assertThatThrownBy(() -> ClientCertificateCredential.load("app-1", pfx, "wrong-password"))
                .hasMessageContaining("autopilot.client-certificate")
                .hasMessageNotContaining("wrong-password");
    }

    private static void assertValidAssertion(ClientCertificateCredential credential, X509Certificate certificate) throws Exception {
        SignedJWT jwt = SignedJWT.parse(credential.assertion(TOKEN_URL));

        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getX509CertSHA256Thumbprint()).isEqualTo(TestCertificates.thumbprint(certificate));
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(TOKEN_URL);
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("app-1");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("app-1");
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotEqualTo(SignedJWT.parse(credential.assertion(TOKEN_URL)).getJWTClaimsSet().getJWTID());
    }
}
