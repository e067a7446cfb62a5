package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.util.Base64URL;

/** Keys and certificates made by the test itself, with the JDK's own keytool, as an admin would make them. */
public final class TestCertificates {

    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String ALIAS = "autopilot-bridge";

    private TestCertificates() {
    }

    /** A new RSA key with a self-signed certificate in a PKCS#12 file. */
    public static Path pkcs12(Path dir, String password) {
        Path file = dir.resolve("client-" + System.nanoTime() + ".pfx");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=autopilot-bridge-test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** The same key and certificate as one PEM file (PKCS#8 key, then the certificate). */
    public static Path pem(Path pkcs12, String password, Path target) throws IOException, GeneralSecurityException {
        KeyStore store = load(pkcs12, password);
        PrivateKey key = (PrivateKey) store.getKey(ALIAS, password.toCharArray());
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(store.getCertificate(ALIAS).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(target, pem);
    }

    public static X509Certificate certificate(Path pkcs12, String password) throws IOException, GeneralSecurityException {
        return (X509Certificate) load(pkcs12, password).getCertificate(ALIAS);
    }

    /** The certificate's SHA-256 thumbprint as the {@code x5t#S256} header carries it. */
    public static Base64URL thumbprint(X509Certificate certificate) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path pkcs12, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
