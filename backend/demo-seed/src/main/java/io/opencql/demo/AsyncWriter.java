package io.opencql.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/** Executes writes asynchronously with a bounded number in flight; the first failure is rethrown. */
final class AsyncWriter {

    private final CqlSession session;
    private final int limit;
    private final Semaphore permits;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    AsyncWriter(CqlSession session, int concurrency) {
        this.session = session;
        this.limit = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    void write(Statement<?> statement) {
        rethrow();
        permits.acquireUninterruptibly();
        session.executeAsync(statement).whenComplete((rs, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            permits.release();
        });
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
