package io.opencql.demo;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * The write failures worth another try: a node that has just started (or is compacting) answers a burst of
 * writes with timeouts, "overloaded" or too few live replicas for a while, and then takes them. The demo's
 * writes are idempotent (same rows, same values), so sending one again cannot change the result; counter
 * updates are not, and are never retried.
 */
final class TransientWriteFailure {

    /** Tries per write in all: with the back-off below, about 11 s of waiting before giving up. */
    static final int ATTEMPTS = 7;

    private TransientWriteFailure() {
    }

    static boolean is(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof WriteTimeoutException || e instanceof OverloadedException
                || e instanceof UnavailableException || e instanceof DriverTimeoutException;
    }

    /** The pause before try {@code attempt + 1}: 200 ms, doubling, at most 5 s. */
    static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(5_000L, 200L << Math.min(attempt - 1, 10)));
    }
}
