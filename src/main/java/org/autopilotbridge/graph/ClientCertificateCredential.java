package org.autopilotbridge.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.springframework.boot.ssl.pem.PemContent;

/**
 * A certificate credential: each token request carries a fresh client assertion, a JWT signed with the
 * certificate's private key (PS256), naming the certificate by its SHA-256 thumbprint ({@code x5t#S256}).
 * The key is read from PKCS#12 or PEM (PKCS#1, PKCS#8, encrypted PKCS#8) once, at start-up.
 */
final class ClientCertificateCredential implements ClientCredential {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final String clientId;
    private final PrivateKey key;
    private final Base64URL thumbprint;

    private ClientCertificateCredential(String clientId, PrivateKey key, X509Certificate certificate) {
        this.clientId = clientId;
        this.key = key;
        try {
            this.thumbprint = Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot take the certificate's thumbprint", e);
        }
    }

    static ClientCertificateCredential load(String clientId, Path file, String password) {
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(64);
            }
            boolean pem = new String(head, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN");
            return pem ? fromPem(clientId, file, password) : fromPkcs12(clientId, file, password);
        } catch (IOException | GeneralSecurityException | IllegalStateException e) {
            throw new IllegalStateException("autopilot.client-certificate " + file + " cannot be used: " + e.getMessage());
        }
    }

    private static ClientCertificateCredential fromPem(String clientId, Path file, String password) throws IOException {
        PemContent pem = PemContent.load(file);
        PrivateKey key = pem.getPrivateKey(password);
        List<X509Certificate> certificates = pem.getCertificates();
        if (key == null || certificates.isEmpty()) {
            throw new IllegalStateException("the PEM file must hold both the private key and the certificate");
        }
        return new ClientCertificateCredential(clientId, key, certificates.get(0));
    }

    private static ClientCertificateCredential fromPkcs12(String clientId, Path file, String password)
            throws IOException, GeneralSecurityException {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, secret);
        }
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
            String alias = aliases.nextElement();
            if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                return new ClientCertificateCredential(clientId, (PrivateKey) store.getKey(alias, secret), certificate);
            }
        }
        throw new IllegalStateException("the PKCS#12 file holds no private key with a certificate");
    }

    @Override
    public List<NameValuePair> formFields(String tokenUrl) {
        return List.of(new BasicNameValuePair("client_assertion_type", ASSERTION_TYPE),
                new BasicNameValuePair("client_assertion", assertion(tokenUrl)));
    }

    String assertion(String tokenUrl) {
        Instant now = Instant.now();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256)
                .type(JOSEObjectType.JWT)
                .x509CertSHA256Thumbprint(thumbprint)
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(tokenUrl)
                .issuer(clientId)
                .subject(clientId)
                .jwtID(UUID.randomUUID().toString())
                .notBeforeTime(Date.from(now))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
