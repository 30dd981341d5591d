package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** Keys written by openssl (see src/test/resources/tls): SEC1 EC, PKCS#8 and PKCS#1 RSA. */
class TestPemKeys {

    @Test
    void aSec1EcKeyIsWrappedAndSignsForItsCertificate() throws Exception {
        PrivateKey key = PemKeys.read(ConfigFixture.resource("tls/client-ec-key.pem"));

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(signsFor(key, "tls/client.pem")).isTrue();
    }

    @Test
    void aPkcs8KeyIsReadAsItIs() throws Exception {
        PrivateKey key = PemKeys.read(ConfigFixture.resource("tls/client-pkcs8-key.pem"));

        assertThat(signsFor(key, "tls/client.pem")).isTrue();
    }

    @Test
    void aPkcs1RsaKeyIsWrapped() throws Exception {
        assertThat(PemKeys.read(ConfigFixture.resource("tls/rsa-pkcs1-key.pem")).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void aFileWithoutAKeyIsRefused() {
        assertThatThrownBy(() -> PemKeys.read(ConfigFixture.resource("tls/ca.pem")))
                .hasMessageStartingWith("no unencrypted private key (BEGIN PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY) in '");
    }

    private static boolean signsFor(PrivateKey key, String certificate) throws Exception {
        byte[] data = "handover".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        try (InputStream in = Files.newInputStream(ConfigFixture.resource(certificate))) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(data);
            return verifier.verify(signature);
        }
    }
}
