package io.opencql.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes writes asynchronously with a bounded number in flight. An idempotent write that fails transiently
 * (a write timeout right after a node start) is sent again after a back-off (see {@link TransientWriteFailure});
 * the first failure that remains is rethrown.
 */
final class AsyncWriter {

    private final CqlSession session;
    private final int limit;
    private final Semaphore permits;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong retries = new AtomicLong();

    AsyncWriter(CqlSession session, int concurrency) {
        this.session = session;
        this.limit = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    void write(Statement<?> statement) {
        rethrow();
        permits.acquireUninterruptibly();
        send(statement, 1);
    }

    private void send(Statement<?> statement, int attempt) {
        session.executeAsync(statement).whenComplete((rs, error) -> {
            if (error != null && attempt < TransientWriteFailure.ATTEMPTS && TransientWriteFailure.is(error)
                    && Boolean.TRUE.equals(statement.isIdempotent())) {
                retries.incrementAndGet();
                // the permit stays taken: a retried write still counts against the writes in flight
                CompletableFuture.delayedExecutor(TransientWriteFailure.backoff(attempt).toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> send(statement, attempt + 1));
                return;
            }
            if (error != null) {
                failure.compareAndSet(null, attempt > 1
                        ? new IllegalStateException("after " + attempt + " tries: " + error.getMessage(), error) : error);
            }
            permits.release();
        });
    }

    /** Writes sent again after a transient failure so far. */
    long retries() {
        return retries.get();
    }

    /** Waits for every write in flight. */
    void await() {
        permits.acquireUninterruptibly(limit);
        permits.release(limit);
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("write failed: " + t.getMessage(), t);
        }
    }
}
