package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.ssl.SslEngineFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The driver's TLS engines. Unlike the driver's {@code ProgrammaticSslEngineFactory} it can verify every node
 * against one configured name ({@code tlsServerName}, also sent as SNI: proxies and clusters whose nodes share
 * one certificate need that), and it never does a reverse DNS lookup to find a node's name: the name is the
 * contact point as configured, or the address a node announced.
 */
final class TlsEngineFactory implements SslEngineFactory {

    private final SSLContext context;
    private final String serverName;
    private final boolean verifyHostname;

    public TlsEngineFactory(SSLContext context, String serverName, boolean verifyHostname) {
        this.context = context;
        this.serverName = serverName;
        this.verifyHostname = verifyHostname;
    }

    @Override
    public SSLEngine newSslEngine(EndPoint remoteEndpoint) {
        SocketAddress address = remoteEndpoint.resolve();
        String host = null;
        int port = -1;
        if (address instanceof InetSocketAddress inet) {
            host = inet.getHostString(); // no reverse lookup
            port = inet.getPort();
        }
        String peer = serverName != null ? serverName : host;
        SSLEngine engine = peer == null ? context.createSSLEngine() : context.createSSLEngine(peer, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), peer));
        return engine;
    }

    /** Host name verification and SNI for a connection to {@code peer}; shared with the tests' socket checks. */
    public SSLParameters parameters(SSLParameters base, String peer) {
        if (verifyHostname) {
            base.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (peer != null && !isIpLiteral(peer)) {
            try {
                base.setServerNames(List.of(new SNIHostName(peer)));
            } catch (IllegalArgumentException e) {
                // not a valid DNS name: no SNI (verification, if on, still uses the name)
            }
        }
        return base;
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public void close() {
    }
}
