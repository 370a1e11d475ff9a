package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.DataType;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs one statement and reads its rows, page by page, once each, into the typed fields of one frame.
 *
 * <ul>
 *   <li>Stops at the row limit without fetching further pages, and says whether rows were left (a row past
 *       the limit was seen, or, when the limit ends a page, a one-row probe of the next page found one).</li>
 *   <li>While a page is being read the next one is already requested (only when the limit cannot be reached
 *       within the current page), so the node's work and the network overlap with decoding: at most two
 *       pages are held besides the frame.</li>
 *   <li>Stops after the page that brings the answer to its byte budget (the pages' size on the wire, a close
 *       measure of what the frame will hold), so one query cannot take the plugin's heap or exceed what Grafana
 *       accepts in one message: the frame holds at most the budget plus one page.</li>
 *   <li>The whole query has one deadline (setting queryTimeoutSeconds): a slow page cannot restart the
 *       clock.</li>
 *   <li>Cancellation (the client went away) is checked between pages and every 1024 rows, and aborts the page
 *       request in flight.</li>
 * </ul>
 */
final class ResultReader {

    /**
     * Which result columns are read into which fields (in field order), and the time index ({@code requiredColumn},
     * -1: none): a row whose time is null is dropped, and an int/bigint time column is read as epoch time.
     */
    record Plan(int[] columns, int requiredColumn) {
        static Plan all(ColumnDefinitions defs) {
            int[] cols = new int[defs.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = i;
            }
            return new Plan(cols, -1);
        }
    }

    /**
     * What was read. The caller owns {@code frame}. {@code readers[k]} read {@code frame.field(k)} from result
     * column {@code plan.columns()[k]}.
     */
    /**
     * @param limitReached     rows were left out: the row limit or the byte budget was reached
     * @param sizeLimitReached the byte budget was (then {@code limitReached} is too)
     */
    record Result(Frame frame, ColumnDefinitions columns, Plan plan, CqlTypes.ColumnReader[] readers, long rows,
                  boolean limitReached, long droppedRows, boolean sizeLimitReached) {
    }

    private static final int CANCEL_CHECK_MASK = 1023;

    private ResultReader() {
    }

    /** Bytes of a page as the node sent it; 0 when the driver does not know. */
    static long size(AsyncResultSet page) {
        return Math.max(0, page.getExecutionInfo().getResponseSizeInBytes());
    }

    /**
     * Where a read's pages come from: one statement's (the usual case), or several statements' read as one result
     * ({@link PartitionReads}). The reader asks for the first page, then follows {@link AsyncResultSet#fetchNextPage}.
     */
    interface PageSource {
        CompletionStage<AsyncResultSet> first();

        /** Whether a row follows {@code page}, the last page read, whose next page has not been asked for. */
        CompletionStage<Boolean> rowsAfter(AsyncResultSet page);

        /** Aborts whatever the source has in flight (cancellation, or the read ended early); idempotent. */
        default void close() {
        }
    }

    /** One statement's pages; past the row limit a one-row probe of the next page says whether rows were left. */
    record OneStatement(CqlSession session, Statement<?> statement) implements PageSource {
        @Override
        public CompletionStage<AsyncResultSet> first() {
            return session.executeAsync(statement);
        }

        @Override
        public CompletionStage<Boolean> rowsAfter(AsyncResultSet page) {
            // a full last page still reports more pages: only a row past the limit proves rows were cut, so ask for
            // one row of the next page rather than a whole page
            return session.executeAsync(statement.setPagingState(page.getExecutionInfo().getPagingState()).setPageSize(1))
                    .thenApply(p -> p.remaining() > 0);
        }
    }

    /** @param maxBytes the answer's byte budget; no further page is fetched once the pages read reach it */
    static Result read(CqlSession session, Statement<?> statement, Function<ColumnDefinitions, Plan> planner, long rowLimit,
                       long maxBytes, Duration timeout, RequestContext rc, String frameName) {
        return read(new OneStatement(session, statement), planner, rowLimit, maxBytes, timeout, rc, frameName);
    }

    /** Reads {@code source}'s pages as {@link #read(CqlSession, Statement, Function, long, long, Duration, RequestContext, String)} reads one statement's. */
    static Result read(PageSource source, Function<ColumnDefinitions, Plan> planner, long rowLimit,
                       long maxBytes, Duration timeout, RequestContext rc, String frameName) {
        long deadline = System.nanoTime() + timeout.toNanos();
        InFlight inFlight = new InFlight();
        rc.onCancel(() -> {
            inFlight.cancel();
            source.close();
        });
        try {
            return read(source, inFlight, deadline, planner, rowLimit, maxBytes, timeout, frameName);
        } finally {
            source.close();
        }
    }

    private static Result read(PageSource source, InFlight inFlight, long deadline, Function<ColumnDefinitions, Plan> planner,
                               long rowLimit, long maxBytes, Duration timeout, String frameName) {
        AsyncResultSet page = inFlight.await(source.first(), deadline, timeout);
        long bytes = size(page);

        ColumnDefinitions defs = page.getColumnDefinitions();
        Plan plan = planner.apply(defs);
        int[] cols = plan.columns();
        int required = plan.requiredColumn();
        Frame frame = new Frame(frameName);
        try {
            Field[] fields = new Field[cols.length];
            CqlTypes.ColumnReader[] readers = new CqlTypes.ColumnReader[cols.length];
            for (int k = 0; k < cols.length; k++) {
                DataType type = defs.get(cols[k]).getType();
                readers[k] = cols[k] == required ? CqlTypes.timeReader(type) : CqlTypes.reader(type);
                fields[k] = frame.addField(defs.get(cols[k]).getName().asInternal(), readers[k].fieldType(), true);
            }
            long rows = 0;
            long dropped = 0;
            boolean limitReached = false;
            boolean sizeLimitReached = false;
            int n = cols.length;
            pages:
            while (true) {
                CompletionStage<AsyncResultSet> next = null;
                boolean budgetLeft = bytes < maxBytes;
                if (page.hasMorePages() && rows + page.remaining() < rowLimit && budgetLeft) {
                    next = page.fetchNextPage(); // prefetch: the limit cannot be reached in this page
                    inFlight.prefetched = next;
                }
                for (Row row : page.currentPage()) {
                    if (rows >= rowLimit) {
                        limitReached = true;
                        break pages;
                    }
                    if (((rows + dropped) & CANCEL_CHECK_MASK) == 0 && inFlight.cancelled) {
                        throw new CancellationException("query cancelled");
                    }
                    if (required >= 0 && row.getBytesUnsafe(required) == null) {
                        dropped++;
                        continue;
                    }
                    for (int k = 0; k < n; k++) {
                        readers[k].read(row, cols[k], fields[k]);
                    }
                    rows++;
                }
                if (!page.hasMorePages()) {
                    break;
                }
                if (rows >= rowLimit) {
                    limitReached = inFlight.await(source.rowsAfter(page), deadline, timeout);
                    break;
                }
                if (!budgetLeft) {
                    limitReached = true;
                    sizeLimitReached = true;
                    break;
                }
                if (inFlight.cancelled) {
                    throw new CancellationException("query cancelled");
                }
                inFlight.prefetched = null;
                page = inFlight.await(next != null ? next : page.fetchNextPage(), deadline, timeout);
                bytes += size(page);
            }
            return new Result(frame, defs, plan, readers, rows, limitReached, dropped, sizeLimitReached);
        } catch (RuntimeException | Error e) {
            frame.close();
            throw e;
        } finally {
            inFlight.done();
        }
    }

    /** The page request in flight, so that a cancellation can abort it. */
    private static final class InFlight {
        volatile boolean cancelled;
        private volatile CompletableFuture<?> current;

        void cancel() {
            cancelled = true;
            CompletableFuture<?> f = current;
            if (f != null) {
                f.cancel(true);
            }
        }

        /** A prefetched page not awaited yet: cancelled if the read ends early (error, cancellation). */
        CompletionStage<AsyncResultSet> prefetched;

        void done() {
            current = null;
            if (prefetched != null) {
                prefetched.toCompletableFuture().cancel(true);
                prefetched = null;
            }
        }

        <T> T await(CompletionStage<T> stage, long deadline, Duration timeout) {
            CompletableFuture<T> f = stage.toCompletableFuture();
            current = f;
            if (cancelled) {
                f.cancel(true);
            }
            try {
                return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new DriverTimeoutException("Query timed out after " + timeout);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                throw new CancellationException("query interrupted");
            }
        }

        private static RuntimeException rethrow(Throwable cause) {
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                return re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            return new CompletionException(cause);
        }
    }
}
