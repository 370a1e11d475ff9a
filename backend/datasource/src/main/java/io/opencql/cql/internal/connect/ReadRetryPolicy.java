package io.opencql.cql.internal.connect;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
import com.datastax.oss.driver.api.core.servererrors.CoordinatorException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import com.datastax.oss.driver.api.core.session.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's default retry rules, plus one for reads: a read timeout in which no replica answered is retried
 * (up to {@link #READ_TIMEOUT_RETRIES} times) when the statement is idempotent.
 *
 * <p>Why: when a replica dies, its coordinator keeps sending it reads until the failure detector convicts it
 * (5-10 s); each such read ends in "0 replicas responded" after the node's read timeout (5 s), although live replicas
 * hold the data. Measured on 3 nodes, RF=3, LOCAL_ONE: 16 of 299 reads failed so after a second node was killed. A
 * retry is sent once the detector has had its time. The default policy never retries this case, because a real
 * overload would only get more load; capping at two retries of reads, within the query's own timeout, bounds that.
 * Everything else is the default policy's decision (see the driver's manual, "Retries").
 */
public final class ReadRetryPolicy implements RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ReadRetryPolicy.class);
    static final int READ_TIMEOUT_RETRIES = 2;

    private final boolean defaultIdempotence;

    /**
     * The driver instantiates it by reflection with this signature (advanced.retry-policy.class), which is why the
     * class is public.
     */
    public ReadRetryPolicy(DriverContext context, String profileName) {
        this.defaultIdempotence = context.getConfig().getProfile(profileName)
                .getBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, false);
    }

    private boolean idempotent(Request request) {
        Boolean b = request.isIdempotent();
        return b != null ? b : defaultIdempotence;
    }

    @Override
    @Deprecated
    public RetryDecision onReadTimeout(Request request, ConsistencyLevel cl, int blockFor, int received, boolean dataPresent,
                                       int retryCount) {
        if (received < blockFor && retryCount < READ_TIMEOUT_RETRIES && idempotent(request)) {
            LOG.debug("read timed out with {} of {} replicas answering at {}; retrying ({} of {})", received, blockFor, cl,
                    retryCount + 1, READ_TIMEOUT_RETRIES);
            return RetryDecision.RETRY_SAME;
        }
        // the default: enough replicas answered but the one asked for data did not; it will be asked again
        return retryCount == 0 && received >= blockFor && !dataPresent ? RetryDecision.RETRY_SAME : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onWriteTimeout(Request request, ConsistencyLevel cl, WriteType writeType, int blockFor, int received,
                                        int retryCount) {
        return retryCount == 0 && writeType == WriteType.BATCH_LOG ? RetryDecision.RETRY_SAME : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onUnavailable(Request request, ConsistencyLevel cl, int required, int alive, int retryCount) {
        return retryCount == 0 ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onRequestAborted(Request request, Throwable error, int retryCount) {
        // the driver asks only for idempotent requests: a connection lost mid-request goes to the next node
        return error instanceof ClosedConnectionException || error instanceof HeartbeatException
                ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    @Deprecated
    public RetryDecision onErrorResponse(Request request, CoordinatorException error, int retryCount) {
        return error instanceof ReadFailureException || error instanceof WriteFailureException
                ? RetryDecision.RETHROW : RetryDecision.RETRY_NEXT;
    }

    @Override
    public void close() {
    }
}
