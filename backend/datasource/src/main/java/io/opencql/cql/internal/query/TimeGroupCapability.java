package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.Version;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the nodes of a session group by time ranges ({@code GROUP BY ..., floor(time, step)}, CASSANDRA-11871,
 * Apache Cassandra 5.0): every node the driver knows reports release 5.0 or later (ScyllaDB reports 3.0.8, older
 * Cassandra its own), and a probe of {@code floor()} on a timestamp succeeds. Versions are read on every call (the
 * driver's metadata, in memory: a rolling upgrade or downgrade is seen at once); the probe's answer is kept per
 * session, and only a definite one (the node ran it, or refused it as invalid), so a timeout does not switch grouping
 * off for the session's lifetime.
 */
final class TimeGroupCapability {

    private static final Logger LOG = LoggerFactory.getLogger(TimeGroupCapability.class);
    private static final Version CASSANDRA_5 = Version.parse("5.0.0");
    static final String PROBE = "SELECT floor(toTimestamp(now()), 1m) FROM system.local";
    private static final Map<CqlSession, Boolean> PROBED = Collections.synchronizedMap(new WeakHashMap<>());

    private TimeGroupCapability() {
    }

    static boolean groupsByTime(CqlSession session, Duration timeout) {
        if (!versionsAllow(session.getMetadata().getNodes().values())) {
            return false;
        }
        Boolean known = PROBED.get(session);
        if (known != null) {
            return known;
        }
        boolean ok;
        try {
            session.execute(SimpleStatement.builder(PROBE).setTimeout(timeout).build());
            ok = true;
        } catch (InvalidQueryException | SyntaxError e) {
            ok = false;
        } catch (RuntimeException e) {
            LOG.debug("time-grouping probe failed, grouping in the plugin this time: {}", e.toString());
            return false;
        }
        LOG.debug("the node {} group by time ranges", ok ? "can" : "cannot");
        PROBED.put(session, ok);
        return ok;
    }

    static boolean versionsAllow(Collection<Node> nodes) {
        if (nodes.isEmpty()) {
            return false;
        }
        for (Node n : nodes) {
            Version v = n.getCassandraVersion();
            if (v == null || v.compareTo(CASSANDRA_5) < 0) {
                return false;
            }
        }
        return true;
    }
}
