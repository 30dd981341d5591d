package io.handover.consul;

import io.handover.api.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code handover.backends.consul.tls}: the PEM files for {@code https://} addresses. Without a
 * CA file the JVM's trust store is used; a client certificate is needed only where Consul sets
 * {@code verify_incoming}. The files are parsed here, at load, so that {@code config check}
 * reports a bad file rather than the first failover.
 *
 * @param caFile the CA bundle that signed the Consul servers' certificates
 * @param certFile the client certificate (chain)
 * @param keyFile its private key: PKCS#8 ({@code BEGIN PRIVATE KEY}), EC or RSA
 */
record ConsulTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

    /** The TLS settings, or empty when the {@code tls} object is absent or wrong. */
    static Optional<ConsulTls> read(ConfigReader tls) {
        boolean unreadable = unreadable(tls, "ca-file") | unreadable(tls, "cert-file") | unreadable(tls, "key-file");
        Optional<Path> ca = file(tls, "ca-file");
        Optional<Path> cert = file(tls, "cert-file");
        Optional<Path> key = file(tls, "key-file");
        tls.rejectUnknownKeys();
        boolean unpaired = tls.has("cert-file") != tls.has("key-file");
        if (unpaired) {
            tls.problem(tls.has("cert-file") ? "key-file" : "cert-file", "cert-file and key-file must be set together");
        }
        if (unreadable || unpaired || tls.keys().isEmpty()) {
            return Optional.empty();
        }
        ConsulTls result = new ConsulTls(ca, cert, key);
        try {
            TlsSockets.load(result);
        } catch (Exception e) {
            tls.problem("cannot load the TLS files: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(result);
    }

    private static Optional<Path> file(ConfigReader tls, String key) {
        return tls.file(key).filter(Files::isReadable);
    }

    /** Records a problem if {@code key} names a file that cannot be read. */
    private static boolean unreadable(ConfigReader tls, String key) {
        Optional<Path> path = tls.file(key);
        if (path.isPresent() && !Files.isReadable(path.get())) {
            tls.problem(key, "cannot read '" + path.get() + "'");
            return true;
        }
        return false;
    }
}
