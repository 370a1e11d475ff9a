package io.opencql.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TransientWriteFailureTest {

    @Test
    void writeTimeoutsAndClientTimeoutsAreRetriedEvenWhenWrapped() {
        WriteTimeoutException timeout = new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.SIMPLE);
        assertTrue(TransientWriteFailure.is(timeout));
        assertTrue(TransientWriteFailure.is(new CompletionException(timeout)));
        assertTrue(TransientWriteFailure.is(new DriverTimeoutException("Query timed out after PT2S")));
    }

    @Test
    void aRefusedStatementIsNot() {
        assertFalse(TransientWriteFailure.is(new InvalidQueryException(null, "unconfigured table sensor_readings")));
        assertFalse(TransientWriteFailure.is(new IllegalStateException("closed")));
    }

    @Test
    void backoffDoublesFrom200msUpTo5s() {
        assertEquals(Duration.ofMillis(200), TransientWriteFailure.backoff(1));
        assertEquals(Duration.ofMillis(400), TransientWriteFailure.backoff(2));
        assertEquals(Duration.ofMillis(3200), TransientWriteFailure.backoff(5));
        assertEquals(Duration.ofSeconds(5), TransientWriteFailure.backoff(6));
        assertEquals(Duration.ofSeconds(5), TransientWriteFailure.backoff(60));
    }
}
