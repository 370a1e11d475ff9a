package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.config.DriverOption;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.internal.core.loadbalancing.DefaultLoadBalancingPolicy;
import io.opencql.cql.internal.kernel.DatacenterInferenceException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The driver's default load balancing (token-aware, DC-aware, slow replicas avoided) for a data source whose
 * settings name no local DC: the session finds it in its own first contact with the cluster, by the rule of
 * {@link SessionFactory#inferLocalDc} (the DC of the first contact point, in the order given, that the cluster
 * reports; else its only DC). Before, a probe session of its own (a connection, a handshake, the login) found it
 * before the real session opened, and a data source's first query paid for both.
 *
 * <p>The contact points' order reaches the policy, which the driver builds by reflection, through
 * {@link Option#CONTACT_POINTS}. When no DC can be chosen the policy does not throw inside the driver's start-up
 * (where the reason would be wrapped or lost): it records why and leaves the local DC unset, and
 * {@link SessionFactory} closes the session and reports it.
 */
public final class LocalDcPolicy extends DefaultLoadBalancingPolicy {

    /** Our own driver option: the contact points in the order the settings give them, as "address port". */
    enum Option implements DriverOption {
        CONTACT_POINTS("advanced.opencql.contact-points-in-order");

        private final String path;

        Option(String path) {
            this.path = path;
        }

        @Override
        public String getPath() {
            return path;
        }
    }

    private final List<InetSocketAddress> points;
    private volatile String inferred;
    private volatile DatacenterInferenceException failure;

    public LocalDcPolicy(DriverContext context, String profileName) {
        super(context, profileName);
        List<InetSocketAddress> p = new ArrayList<>();
        for (String s : context.getConfig().getProfile(profileName).getStringList(Option.CONTACT_POINTS, List.of())) {
            p.add(decode(s));
        }
        this.points = List.copyOf(p);
    }

    @Override
    protected Optional<String> discoverLocalDc(Map<UUID, Node> nodes) {
        try {
            inferred = SessionFactory.inferLocalDc(nodes.values(), points);
            return Optional.of(inferred);
        } catch (DatacenterInferenceException e) {
            failure = e;
            return Optional.empty();
        }
    }

    /** The local DC found at start-up, or empty when none could be chosen ({@link #failure()}). */
    Optional<String> inferred() {
        return Optional.ofNullable(inferred);
    }

    /** Why no local DC could be chosen, or empty. */
    Optional<DatacenterInferenceException> failure() {
        return Optional.ofNullable(failure);
    }

    /** A resolved contact point as the option holds it (an address literal: decoding it never asks DNS). */
    static String encode(InetSocketAddress point) {
        return point.getAddress().getHostAddress() + " " + point.getPort();
    }

    static InetSocketAddress decode(String s) {
        int space = s.lastIndexOf(' ');
        try {
            return new InetSocketAddress(InetAddress.getByName(s.substring(0, space)), Integer.parseInt(s.substring(space + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + s, e);
        }
    }
}
