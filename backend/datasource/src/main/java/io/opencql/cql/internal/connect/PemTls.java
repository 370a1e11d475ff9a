package io.opencql.cql.internal.connect;

import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An {@link SSLContext} from the PEM text users paste into secureJsonData: the CA certificate(s) become the
 * trust store (none given: the JVM's default CAs), the client certificate chain and its key (PKCS#8, PKCS#1 RSA
 * or SEC1 EC; unencrypted) the key store for mutual TLS. Nothing is written to disk. Errors name the key at
 * fault and never include key material.
 */
final class PemTls {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** In-memory key store only; the key never leaves the process. */
    private static final char[] KEYSTORE_PASSWORD = "in-memory".toCharArray();

    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemTls() {
    }

    /** The SSL context for these TLS settings ({@code skipVerify}: trusts any certificate). */
    public static SSLContext sslContext(CqlSettings.Tls tls) throws InvalidSettingsException {
        TrustManager[] trust = tls.skipVerify() ? new TrustManager[] {new TrustAll()} : trustManagers(tls.caCert());
        KeyManager[] keys = tls.clientCert() == null ? null : keyManagers(tls.clientCert(), tls.clientKey());
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    static TrustManager[] trustManagers(String caPem) throws InvalidSettingsException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caPem == null) {
                tmf.init((KeyStore) null); // the JVM's own CAs (public cloud endpoints)
            } else {
                List<X509Certificate> cas = certificates(caPem, "tlsCACert");
                KeyStore ks = emptyKeyStore();
                for (int i = 0; i < cas.size(); i++) {
                    ks.setCertificateEntry("ca-" + i, cas.get(i));
                }
                tmf.init(ks);
            }
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingsException("tlsCACert", "secureJsonData.tlsCACert cannot be used as a trust store: " + e.getMessage());
        }
    }

    static KeyManager[] keyManagers(String certPem, String keyPem) throws InvalidSettingsException {
        List<X509Certificate> chain = certificates(certPem, "tlsClientCert");
        PrivateKey key = privateKey(keyPem);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new InvalidSettingsException("tlsClientKey",
                    "secureJsonData.tlsClientKey is not the private key of the certificate in secureJsonData.tlsClientCert");
        }
        try {
            KeyStore ks = emptyKeyStore();
            ks.setKeyEntry("client", key, KEYSTORE_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, KEYSTORE_PASSWORD);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingsException("tlsClientKey", "secureJsonData.tlsClientCert and tlsClientKey cannot be used together: "
                    + e.getClass().getSimpleName());
        }
    }

    /** All CERTIFICATE blocks of a PEM text, in order. */
    static List<X509Certificate> certificates(String pem, String key) throws InvalidSettingsException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (b.type.equals("CERTIFICATE") || b.type.equals("X509 CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der(key))));
                }
            }
        } catch (CertificateException e) {
            throw new InvalidSettingsException(key, "secureJsonData." + key + " holds a certificate that cannot be read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new InvalidSettingsException(key, "secureJsonData." + key
                    + " holds no PEM certificate (expected text starting with -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The first private key of a PEM text: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey privateKey(String pem) throws InvalidSettingsException {
        if (pem == null) {
            throw new InvalidSettingsException("tlsClientKey", "secureJsonData.tlsClientKey is required with secureJsonData.tlsClientCert");
        }
        for (Block b : blocks(pem)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(b.der("tlsClientKey"));
                case "RSA PRIVATE KEY":
                    rejectEncrypted(b);
                    return pkcs8(sequence(integer0(), RSA_ALGORITHM_ID, octetString(b.der("tlsClientKey"))));
                case "EC PRIVATE KEY":
                    rejectEncrypted(b);
                    return pkcs8(ecToPkcs8(b.der("tlsClientKey")));
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted();
                default:
                    // EC PARAMETERS and the like come before the key: skip
            }
        }
        throw new InvalidSettingsException("tlsClientKey", "secureJsonData.tlsClientKey holds no PEM private key (expected -----BEGIN "
                + "PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(byte[] der) throws InvalidSettingsException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new InvalidSettingsException("tlsClientKey",
                "secureJsonData.tlsClientKey is not a readable RSA, EC or EdDSA private key");
    }

    /** SEC1 ECPrivateKey → PKCS#8, moving the curve OID from the key's [0] parameters to the algorithm id. */
    private static byte[] ecToPkcs8(byte[] sec1) throws InvalidSettingsException {
        byte[] curve = null;
        try {
            Der seq = Der.read(sec1, 0);
            int pos = seq.contentStart;
            while (pos < seq.end) {
                Der item = Der.read(sec1, pos);
                if (item.tag == (byte) 0xa0) {
                    Der oid = Der.read(sec1, item.contentStart);
                    curve = java.util.Arrays.copyOfRange(sec1, oid.start, oid.end);
                }
                pos = item.end;
            }
        } catch (RuntimeException e) {
            curve = null;
        }
        if (curve == null) {
            throw new InvalidSettingsException("tlsClientKey",
                    "secureJsonData.tlsClientKey is an EC key without its curve; convert it with: openssl pkcs8 -topk8 -nocrypt");
        }
        return sequence(integer0(), sequence(EC_PUBLIC_KEY_OID, curve), octetString(sec1));
    }

    /** Whether {@code key} belongs to {@code pub}: sign a nonce and verify it (works for every algorithm). */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot test: let the handshake decide
        }
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(nonce);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void rejectEncrypted(Block b) throws InvalidSettingsException {
        if (b.body.contains("Proc-Type:") && b.body.contains("ENCRYPTED")) {
            throw encrypted();
        }
    }

    private static InvalidSettingsException encrypted() {
        return new InvalidSettingsException("tlsClientKey", "secureJsonData.tlsClientKey is encrypted with a passphrase, which is not "
                + "supported; store it unencrypted (openssl pkcs8 -topk8 -nocrypt -in key.pem)");
    }

    // --- PEM and DER --------------------------------------------------------------------------------------------

    private record Block(String type, String body) {
        byte[] der(String key) throws InvalidSettingsException {
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\n")) {
                if (!line.contains(":")) { // skip RFC 1421 headers (Proc-Type, DEK-Info)
                    b64.append(line.trim());
                }
            }
            try {
                return Base64.getMimeDecoder().decode(b64.toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(key, "secureJsonData." + key + " has a " + type + " block that is not valid base64");
            }
        }
    }

    private static List<Block> blocks(String pem) {
        // provisioning files sometimes carry PEM with literal "\n" instead of line breaks
        String text = pem.indexOf('\n') < 0 && pem.contains("\\n") ? pem.replace("\\n", "\n") : pem;
        text = text.replace("\r", "");
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), m.group(2)));
        }
        return out;
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }

    private static byte[] integer0() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return tlv(0x30, all.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** One DER element: tag, where its content starts, where it ends (exclusive), where it started. */
    private record Der(byte tag, int start, int contentStart, int end) {
        static Der read(byte[] b, int pos) {
            byte tag = b[pos];
            int len = b[pos + 1] & 0xff;
            int at = pos + 2;
            if (len >= 0x80) {
                int count = len & 0x7f;
                len = 0;
                for (int i = 0; i < count; i++) {
                    len = (len << 8) | (b[at++] & 0xff);
                }
            }
            if (at + len > b.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, pos, at, at + len);
        }
    }

    /** {@code tlsSkipVerify}: accepts any server certificate (host name checks are off as well). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
