package io.opencql.grafana.query;

/**
 * Cancellation of the queries run on the request's own thread: interrupts it only while they run, and clears
 * what it set, so the thread goes back to its pool without a stray interrupt.
 */
final class OnThisThread {

    private Thread thread = Thread.currentThread();
    private boolean interrupted;

    synchronized void interrupt() {
        if (thread != null) {
            interrupted = true;
            thread.interrupt();
        }
    }

    synchronized boolean cancelled() {
        return interrupted;
    }

    synchronized void done() {
        thread = null;
        if (interrupted) {
            Thread.interrupted();
        }
    }
}
