package io.handover.consul;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What OkHttp needs for {@code https://} Consul addresses, built from {@link ConsulTls}'s PEM files
 * with the JDK alone: Consul's own {@code consul tls cert create} writes exactly such files.
 */
record TlsSockets(SSLSocketFactory socketFactory, X509TrustManager trustManager) {

    private static final char[] IN_MEMORY_PASSWORD = "handover".toCharArray();

    static TlsSockets load(ConsulTls tls) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(tls.caFile().isPresent() ? trustStore(tls.caFile().get()) : null);
        X509TrustManager trustManager = (X509TrustManager) trust.getTrustManagers()[0];

        KeyManager[] keyManagers = null;
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = certificates(tls.certFile().get());
            keys.setKeyEntry("client", PemKeys.read(tls.keyFile().get()), IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, IN_MEMORY_PASSWORD);
            keyManagers = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new TrustManager[] {trustManager}, null);
        return new TlsSockets(context.getSocketFactory(), trustManager);
    }

    private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates(caFile)) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        return store;
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in '" + file + "'");
            }
            return certificates;
        }
    }
}
