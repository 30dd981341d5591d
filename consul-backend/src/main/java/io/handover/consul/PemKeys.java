package io.handover.consul;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PEM private key. The JDK parses only PKCS#8, but {@code consul tls cert
 * create} and openssl write EC keys as SEC1 ({@code BEGIN EC PRIVATE KEY}) and older RSA keys as
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}); both are wrapped into PKCS#8 here, a few DER bytes.
 */
final class PemKeys {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] OID_RSA_WITH_NULL = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] VERSION_ZERO = {0x02, 0x01, 0x00};

    private PemKeys() {}

    static PrivateKey read(Path file) throws IOException, GeneralSecurityException {
        Matcher pem = PEM.matcher(Files.readString(file));
        while (pem.find()) {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            switch (pem.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "EC PRIVATE KEY":
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrap(concat(OID_EC_PUBLIC_KEY, curveOid(der)), der)));
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrap(OID_RSA_WITH_NULL, der)));
                default:
                    // EC PARAMETERS and the like precede the key in some files
            }
        }
        throw new GeneralSecurityException("no unencrypted private key (BEGIN PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY) in '" + file + "'");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported PKCS#8 private key");
    }

    /** PKCS#8: SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(VERSION_ZERO, tlv(0x30, algorithm), tlv(0x04, key)));
    }

    /** The named curve of a SEC1 key: the OID inside its {@code [0]} element. */
    private static byte[] curveOid(byte[] sec1) throws GeneralSecurityException {
        int position = headerLength(sec1, 0);
        while (position < sec1.length) {
            int tag = sec1[position] & 0xff;
            int header = headerLength(sec1, position);
            int length = contentLength(sec1, position);
            if (tag == 0xa0) {
                return Arrays.copyOfRange(sec1, position + header, position + header + length);
            }
            position += header + length;
        }
        throw new GeneralSecurityException("EC private key names no curve");
    }

    private static int headerLength(byte[] der, int position) {
        int first = der[position + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }

    private static int contentLength(byte[] der, int position) {
        int first = der[position + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[position + 2 + i] & 0xff);
        }
        return length;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
