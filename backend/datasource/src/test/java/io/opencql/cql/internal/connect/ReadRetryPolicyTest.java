package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.session.ProgrammaticArguments;
import com.datastax.oss.driver.internal.core.context.DefaultDriverContext;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation")
class ReadRetryPolicyTest {

    static final SimpleStatement READ = SimpleStatement.builder("SELECT v FROM t").setIdempotence(true).build();
    static final SimpleStatement WRITE = SimpleStatement.builder("UPDATE c SET n = n + 1 WHERE k = 1").setIdempotence(false).build();
    static final SimpleStatement UNMARKED = SimpleStatement.newInstance("SELECT release_version FROM system.local");

    final ReadRetryPolicy policy = policy(true);

    /** The policy as the driver makes it: from a context whose config has {@code basic.request.default-idempotence}. */
    static ReadRetryPolicy policy(boolean defaultIdempotence) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, defaultIdempotence)
                .build();
        return new ReadRetryPolicy(new DefaultDriverContext(config, ProgrammaticArguments.builder().build()),
                DriverExecutionProfile.DEFAULT_NAME);
    }

    @Test
    void aReadNoReplicaAnsweredIsRetriedTwiceThenFails() {
        assertEquals(RetryDecision.RETRY_SAME, policy.onReadTimeout(READ, DefaultConsistencyLevel.LOCAL_ONE, 1, 0, false, 0));
        assertEquals(RetryDecision.RETRY_SAME, policy.onReadTimeout(READ, DefaultConsistencyLevel.LOCAL_ONE, 1, 0, false, 1));
        assertEquals(RetryDecision.RETHROW, policy.onReadTimeout(READ, DefaultConsistencyLevel.LOCAL_ONE, 1, 0, false, 2));
    }

    @Test
    void unmarkedStatementsFollowTheConfiguredDefault() {
        assertEquals(RetryDecision.RETRY_SAME, policy.onReadTimeout(UNMARKED, DefaultConsistencyLevel.ONE, 1, 0, false, 0));
        assertEquals(RetryDecision.RETHROW,
                policy(false).onReadTimeout(UNMARKED, DefaultConsistencyLevel.ONE, 1, 0, false, 0));
    }

    @Test
    void aNonIdempotentStatementKeepsTheDefaultRules() {
        assertEquals(RetryDecision.RETHROW, policy.onReadTimeout(WRITE, DefaultConsistencyLevel.QUORUM, 2, 1, false, 0));
        // the default's own case: enough replicas answered, the data replica did not
        assertEquals(RetryDecision.RETRY_SAME, policy.onReadTimeout(WRITE, DefaultConsistencyLevel.QUORUM, 2, 2, false, 0));
        assertEquals(RetryDecision.RETHROW, policy.onReadTimeout(WRITE, DefaultConsistencyLevel.QUORUM, 2, 2, false, 1));
    }

    @Test
    void theOtherDecisionsAreTheDefaultPolicys() {
        assertEquals(RetryDecision.RETRY_NEXT, policy.onUnavailable(READ, DefaultConsistencyLevel.QUORUM, 2, 1, 0));
        assertEquals(RetryDecision.RETHROW, policy.onUnavailable(READ, DefaultConsistencyLevel.QUORUM, 2, 1, 1));
        assertEquals(RetryDecision.RETRY_NEXT, policy.onRequestAborted(READ,
                new com.datastax.oss.driver.api.core.connection.ClosedConnectionException("lost"), 0));
        assertEquals(RetryDecision.RETHROW, policy.onRequestAborted(READ, new IllegalStateException("x"), 0));
    }
}
