package io.opencql.cql.internal.live;

import io.opencql.grafana.backend.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The end of one tail run (Grafana cancelled RunStream, or the plugin stops), as the {@link RequestContext} its
 * reads get. A read registers a cancel listener (to abort its page request); those are dropped after each read
 * ({@link #forgetListeners}), since a stream makes a read every second for hours and Grafana's call context would
 * otherwise collect one listener per read.
 */
final class StopSignal implements RequestContext {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> listeners = new ArrayList<>(); // guarded by this
    private Thread blocked; // guarded by this

    void stop() {
        List<Runnable> run;
        synchronized (this) {
            if (stopped.getCount() == 0) {
                return;
            }
            stopped.countDown();
            run = new ArrayList<>(listeners);
            listeners.clear();
            if (blocked != null) {
                blocked.interrupt();
            }
        }
        run.forEach(Runnable::run);
    }

    /** A call that blocks without a way to cancel it (waiting for a session to open): {@link #stop} interrupts it. */
    interface Blocking<T, E extends Exception> {
        T call() throws E;
    }

    <T, E extends Exception> T interruptibly(Blocking<T, E> call) throws E {
        synchronized (this) {
            if (stopped.getCount() == 0) {
                throw new java.util.concurrent.CancellationException("stream stopped");
            }
            blocked = Thread.currentThread();
        }
        try {
            return call.call();
        } finally {
            synchronized (this) {
                blocked = null;
            }
            Thread.interrupted(); // an interrupt from stop() ends here: it must not reach the caller's thread pool
        }
    }

    @Override
    public boolean isCancelled() {
        return stopped.getCount() == 0;
    }

    @Override
    public void onCancel(Runnable listener) {
        synchronized (this) {
            if (stopped.getCount() != 0) {
                listeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    synchronized void forgetListeners() {
        listeners.clear();
    }

    /** Waits up to {@code millis}; true when stopped. */
    boolean await(long millis) {
        try {
            return stopped.await(Math.max(0, millis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return true;
        }
    }
}
