package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.failure.PoolDiagnosis;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import java.time.Duration;

/**
 * A query that met the driver's "no node was available" on an open session: the driver cannot say why its pools are
 * empty, the session's metadata often can ({@link PoolDiagnosis}); and a session that cannot recover by itself (the
 * nodes are back but it holds them all down) is replaced, so that the panel's next refresh runs.
 */
final class NoNodeRecovery {

    private NoNodeRecovery() {
    }

    /** The query's failure as the session explains it; null when {@code t} is not "no node was available". */
    static Failure failure(Throwable t, CqlSession session, CqlInstance instance, CqlSettings settings) {
        if (!Failure.noNodeAvailable(t)) {
            return null;
        }
        Duration timeout = settings.queryTimeout();
        Failure m = Failure.querying(t, timeout);
        PoolDiagnosis.Cause c = PoolDiagnosis.explain(session, settings);
        if (c != null) {
            m = c.failure("no node could run the query: ", m.verboseMessage());
        }
        if (c != null && c.noneUp() && PoolDiagnosis.aDownNodeAnswers(session)) {
            // the nodes are back, but this session cannot reconnect to them by itself: a new one either works (the
            // panel's next refresh runs) or fails with Save & test's words for the cause
            instance.reopen(session);
            try {
                CqlQueries.session(instance, settings);
                m = PoolDiagnosis.reopened(m.verboseMessage());
            } catch (Throwable open) {
                m = Failure.querying(open, timeout); // as any query whose session cannot be opened
            }
        }
        return m;
    }
}
