package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.ExecutionInfo;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The pages of several statements (one partition each, in the order their rows are to come) read as the pages of
 * one result, for {@link ResultReader}: the reader decodes them in order into one frame with one row limit, byte
 * budget, deadline and cancellation, exactly as it reads one statement.
 *
 * <p>At most {@code inFlight} statements are open at once: the one being read and the next ones. Each open statement
 * keeps reading ahead, one request at a time (pages of one statement follow each other's paging state), while the
 * pages waiting for the reader hold less than {@link #READ_AHEAD_BYTES}; a statement's slot goes to the next
 * statement once the reader has moved past its last page. So at most {@code inFlight} requests are on the wire, and
 * the pages waiting hold at most {@link #READ_AHEAD_BYTES} plus one page per open statement.
 * A statement's failure reaches the reader when the reader comes to that statement's page, as the single statement's
 * would have at that point of its rows. {@link #close} (cancellation, or the read ending early) aborts every request.
 *
 * <p>A {@code LIMIT n} of the original statement (each partition's statement keeps it) is applied to the merged rows:
 * the pages show no row past the n-th and no further pages.
 */
final class PartitionPages implements ResultReader.PageSource {

    /**
     * Bytes (as the node sent them) of pages read ahead and not yet handed to the reader, past which the open
     * statements stop asking for more until the reader catches up: the node keeps serving several partitions while
     * the plugin decodes one, and the pages waiting stay a small part of an answer's budget (32 MiB by default).
     */
    static final long READ_AHEAD_BYTES = 8 << 20;
    /** Pages the statement being read may have waiting whatever the bytes: the reader never waits for a request. */
    static final int READING_AHEAD = 2;

    private final CqlSession session;
    private final List<? extends Statement<?>> statements;
    private final int inFlight;
    private final long cap;
    private final long readAheadBytes;
    private final Part[] parts;
    /** The statements started so far (0..started-1). */
    private int started;
    /** The statement being read. */
    private int reading;
    /** Bytes of the pages arrived and not yet handed to the reader. */
    private long waitingBytes;
    private boolean closed;
    /** Every request not known to be complete, so that {@link #close} can abort it. */
    private final List<CompletableFuture<AsyncResultSet>> requested = new ArrayList<>();
    /** The most requests not yet answered at once (a request's future completes when the node's answer arrives). */
    private int mostInFlight;

    /**
     * @param inFlight at most this many statements open at once (at least 1)
     * @param limit    the original statement's LIMIT, or -1 for none
     */
    PartitionPages(CqlSession session, List<? extends Statement<?>> statements, int inFlight, long limit) {
        this(session, statements, inFlight, limit, READ_AHEAD_BYTES);
    }

    /** @param readAheadBytes {@link #READ_AHEAD_BYTES}, or another bound (tests: 1, so that statements stop and resume) */
    PartitionPages(CqlSession session, List<? extends Statement<?>> statements, int inFlight, long limit, long readAheadBytes) {
        this.readAheadBytes = readAheadBytes;
        this.session = session;
        this.statements = List.copyOf(statements);
        this.inFlight = Math.max(1, inFlight);
        this.cap = limit < 0 ? Long.MAX_VALUE : limit;
        this.parts = new Part[statements.size()];
    }

    /** One statement's requested pages, in order. */
    private static final class Part {
        final ArrayDeque<CompletableFuture<AsyncResultSet>> queued = new ArrayDeque<>();
        /** The page requested last: only its page may be followed, once (pages follow each other's paging state). */
        CompletableFuture<AsyncResultSet> last;
        /** An arrived page with more pages whose next was not requested because enough were queued. */
        AsyncResultSet stalled;
    }

    @Override
    public CompletionStage<AsyncResultSet> first() {
        synchronized (this) {
            while (started < Math.min(inFlight, parts.length)) {
                start();
            }
        }
        return take(0, null).thenApply(p -> new Page(0, handed(p), 0));
    }

    @Override
    public CompletionStage<Boolean> rowsAfter(AsyncResultSet page) {
        if (!page.hasMorePages()) {
            return CompletableFuture.completedFuture(false);
        }
        return page.fetchNextPage().thenCompose(p -> p.remaining() > 0 ? CompletableFuture.completedFuture(true) : rowsAfter(p));
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (CompletableFuture<AsyncResultSet> f : requested) {
            f.cancel(true); // the driver aborts a request whose future is cancelled; a completed one stays as it is
        }
        requested.clear();
    }

    /** The most requests this source had on the wire at once: what setting partitionReads bounds. */
    synchronized int mostInFlight() {
        return mostInFlight;
    }

    private void start() {
        int i = started++;
        parts[i] = new Part();
        request(parts[i], session.executeAsync(statements.get(i)));
    }

    private void request(Part part, CompletionStage<AsyncResultSet> stage) {
        CompletableFuture<AsyncResultSet> f = stage.toCompletableFuture();
        part.queued.add(f);
        part.last = f;
        requested.removeIf(CompletableFuture::isDone);
        requested.add(f);
        mostInFlight = Math.max(mostInFlight, requested.size());
        f.whenComplete((page, error) -> {
            if (page != null) {
                arrived(part, page);
            }
        });
    }

    private synchronized void arrived(Part part, AsyncResultSet page) {
        waitingBytes += ResultReader.size(page);
        if (closed || !page.hasMorePages()) {
            return;
        }
        if (mayReadAhead(part)) {
            follow(part, page);
        } else {
            part.stalled = page;
        }
    }

    private boolean mayReadAhead(Part part) {
        return waitingBytes < readAheadBytes || (part == parts[reading] && part.queued.size() < READING_AHEAD);
    }

    /** The reader has {@code page}: its bytes no longer wait, so a statement that stopped may read on. */
    private synchronized AsyncResultSet handed(AsyncResultSet page) {
        waitingBytes -= ResultReader.size(page);
        resume();
        return page;
    }

    private void resume() {
        for (int i = reading; i < started && !closed; i++) {
            Part part = parts[i];
            if (part != null && part.stalled != null && mayReadAhead(part)) {
                AsyncResultSet s = part.stalled;
                part.stalled = null;
                follow(part, s);
            }
        }
    }

    private void follow(Part part, AsyncResultSet page) {
        CompletableFuture<AsyncResultSet> last = part.last;
        if (last.isDone() && !last.isCompletedExceptionally() && last.getNow(null) == page) {
            request(part, page.fetchNextPage());
        }
    }

    /**
     * The next page of statement {@code i}; {@code previous} is the page of it just read (null for its first). A
     * statement past {@code i}'s slot is started when {@code i} begins (its predecessor is done).
     */
    private synchronized CompletionStage<AsyncResultSet> take(int i, AsyncResultSet previous) {
        if (closed) {
            CompletableFuture<AsyncResultSet> gone = new CompletableFuture<>();
            gone.cancel(true);
            return gone;
        }
        Part part = parts[i];
        if (previous != null && part.queued.isEmpty()) {
            follow(part, previous); // the reader came before the read-ahead's callback
        }
        CompletableFuture<AsyncResultSet> f = part.queued.poll();
        resume();
        return f;
    }

    /** Called when the reader moves on to statement {@code i}: the statement before it frees its slot. */
    private synchronized void begin(int i) {
        if (i > 0) {
            parts[i - 1] = null;
        }
        reading = i;
        while (!closed && started < parts.length && started < i + inFlight) {
            start();
        }
        resume();
    }

    /**
     * A page of statement {@code index} as a page of the merged result: it has more pages while its statement or a
     * later one has, and shows no row past the LIMIT ({@code before}: rows the pages before it showed).
     */
    private final class Page implements AsyncResultSet {
        private final int index;
        private final AsyncResultSet page;
        private final long before;
        private final int shown;
        private final int initial;

        Page(int index, AsyncResultSet page, long before) {
            this.index = index;
            this.page = page;
            this.before = before;
            this.initial = page.remaining();
            this.shown = (int) Math.min(initial, cap - before);
        }

        @Override
        public ColumnDefinitions getColumnDefinitions() {
            return page.getColumnDefinitions();
        }

        @Override
        public ExecutionInfo getExecutionInfo() {
            return page.getExecutionInfo();
        }

        @Override
        public int remaining() {
            return Math.max(0, shown - (initial - page.remaining()));
        }

        @Override
        public Iterable<Row> currentPage() {
            return () -> new Iterator<>() {
                private final Iterator<Row> rows = page.currentPage().iterator();

                @Override
                public boolean hasNext() {
                    return remaining() > 0 && rows.hasNext();
                }

                @Override
                public Row next() {
                    return rows.next();
                }
            };
        }

        @Override
        public boolean hasMorePages() {
            return before + shown < cap && (page.hasMorePages() || index + 1 < parts.length);
        }

        @Override
        public CompletionStage<AsyncResultSet> fetchNextPage() {
            long next = before + shown;
            if (page.hasMorePages()) {
                return take(index, page).thenApply(p -> new Page(index, handed(p), next));
            }
            begin(index + 1);
            return take(index + 1, null).thenApply(p -> new Page(index + 1, handed(p), next));
        }

        @Override
        public boolean wasApplied() {
            return true;
        }
    }
}
