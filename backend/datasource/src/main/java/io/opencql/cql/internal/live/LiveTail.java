package io.opencql.cql.internal.live;

import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.query.CqlQueries;
import io.opencql.cql.internal.query.QueryModel;
import io.opencql.cql.internal.query.StreamRows;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.StreamSender;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Field;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FrameMeta;
import io.opencql.grafana.data.FrameRows;
import io.opencql.grafana.data.JsonFrameWriter;
import io.opencql.grafana.instance.InstanceManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RunStream of a channel: reads the stream query every {@code streamIntervalMs} over the window from the
 * cursor's horizon (a second before the newest row sent) to now (macros expanded for that window, so
 * {@code $__timeFilter(ts)} selects just it), sends the new rows ({@link TailCursor}) as a JSON frame packet, and
 * moves the cursor on. The first packet carries the
 * schema (and so does any packet whose fields differ from the last schema sent); the rest are data-only appends.
 * Nothing is sent when there is nothing new.
 *
 * <p>It runs on the RunStream call's own thread and returns when the run is stopped (Grafana cancelled the call,
 * or the plugin stops), leaving nothing behind. A failed read (node down, timeout, …) is logged at warn and retried
 * after a back-off of 1 s doubling to 5 s (never sooner than the interval); the stream stays open and resumes
 * from its cursor, so rows written meanwhile arrive once the database answers again.
 */
final class LiveTail {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);

    static final long BACKOFF_FIRST_MS = 1_000;
    // A read against an unreachable cluster fails at once without touching the network (the driver has no
    // connection), and a normal stream reads every second anyway: a short cap costs nothing and lets a wall screen
    // resume within seconds of the database
    static final long BACKOFF_MAX_MS = 5_000;
    private static final long LIMIT_WARNING_EVERY_MS = 60_000;
    private static final long NANOS_PER_MS = 1_000_000L;

    private final CqlQueries queries;
    private final InstanceManager<CqlInstance> instances;
    private final StreamRegistry registry;
    private final StreamRegistry.Entry entry;
    private final String channel;

    LiveTail(CqlQueries queries, InstanceManager<CqlInstance> instances, StreamRegistry registry, StreamRegistry.Entry entry,
             String channel) {
        this.queries = queries;
        this.instances = instances;
        this.registry = registry;
        this.entry = entry;
        this.channel = channel;
    }

    /** Delay before retry number {@code failures} (1-based): 1 s, 2 s, 4 s, 5 s, 5 s …, never less than the interval. */
    static long backoffMs(int failures, long intervalMs) {
        long b = failures >= 4 ? BACKOFF_MAX_MS : Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS << (failures - 1));
        return Math.max(b, intervalMs);
    }

    void run(PluginContext ctx, StreamSender sender, StopSignal stop) {
        QueryModel model = entry.spec().model();
        long interval = model.streamIntervalMs();
        TailCursor cursor = registry.startRun(entry, System.currentTimeMillis() * NANOS_PER_MS);
        LOG.debug("live stream {}: starting at {}", channel, cursor);
        List<String> schema = null;
        int failures = 0;
        long failingSinceMs = 0;
        long limitWarnedMs = Long.MIN_VALUE;
        long next = System.nanoTime();
        try {
            while (!stop.isCancelled()) {
                long waitMs;
                try {
                    Poll p = poll(ctx, model, cursor, stop);
                    if (stop.isCancelled()) {
                        p.close();
                        break;
                    }
                    try (p) {
                        if (p.send != null) {
                            List<String> s = schemaOf(p.send);
                            sender.send(JsonFrameWriter.write(p.send,
                                    s.equals(schema) ? JsonFrameWriter.Include.DATA_ONLY : JsonFrameWriter.Include.ALL));
                            schema = s;
                            registry.sent(entry, p.next);
                        }
                    }
                    cursor = p.next;
                    registry.readDone();
                    if (p.limitReached && System.currentTimeMillis() - limitWarnedMs > LIMIT_WARNING_EVERY_MS) {
                        limitWarnedMs = System.currentTimeMillis();
                        LOG.warn("live stream {}: a read reached the row limit; rows past it in that read may be skipped"
                                + " (narrow the query or raise rowLimit)", channel);
                    }
                    if (failures > 0) {
                        LOG.info("live stream {}: reading again after {} failed attempts over {} s", channel, failures,
                                (System.currentTimeMillis() - failingSinceMs) / 1000);
                        failures = 0;
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(interval);
                    long now = System.nanoTime();
                    if (next < now) {
                        next = now; // a read longer than the interval: go on at once, without a burst to catch up
                    }
                    waitMs = TimeUnit.NANOSECONDS.toMillis(next - now);
                } catch (Exception e) {
                    if (stop.isCancelled() || e instanceof CancellationException) {
                        break;
                    }
                    if (failures++ == 0) {
                        failingSinceMs = System.currentTimeMillis();
                    }
                    waitMs = backoffMs(failures, interval);
                    LOG.warn("live stream {}: read failed (attempt {}), retrying in {} s: {}", channel, failures,
                            waitMs / 1000.0, e instanceof ReadFailure r ? r.getMessage() : CqlQueries.describe(e, null));
                    next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
                }
                if (stop.await(waitMs)) {
                    break;
                }
            }
        } finally {
            registry.endRun(entry);
            LOG.debug("live stream {}: stopped at {}", channel, cursor);
        }
    }

    /** One read's outcome: the packet frame to send (null: nothing new) and the cursor after it. */
    private record Poll(Frame send, TailCursor next, boolean limitReached) implements AutoCloseable {
        @Override
        public void close() {
            if (send != null) {
                send.close();
            }
        }
    }

    private Poll poll(PluginContext ctx, QueryModel model, TailCursor cursor, StopSignal stop) throws Exception {
        long toMs = System.currentTimeMillis();
        // the window starts at the cursor's horizon, at or before the newest time sent (ties and late rows,
        // TailCursor); times are whole milliseconds in CQL
        TimeRange window = new TimeRange(Math.floorDiv(cursor.horizonNanos(), NANOS_PER_MS), toMs);
        try {
            return instances.with(ctx, instance -> {
                try {
                    stop.interruptibly(instance::session); // opening a session cannot be cancelled otherwise
                    try (StreamRows rows = queries.readStream(instance, model, entry.spec().refId(), window, model.streamIntervalMs(), stop)) {
                        TailCursor.Step step = cursor.advance(rows.frame(), rows.timeField(), toMs * NANOS_PER_MS,
                                TailCursor.LATENESS.toNanos());
                        Frame send = null;
                        if (step.rows().length > 0) {
                            // a packet belongs to the query that issued the channel
                            send = FrameRows.select(rows.frame(), step.rows())
                                    .withRefId(entry.spec().refId()).withMeta(packetMeta(rows.frame().meta()));
                        }
                        return new Poll(send, step.next(), rows.limitReached());
                    }
                } catch (CancellationException e) {
                    throw e;
                } catch (Exception e) {
                    // described while the instance is at hand: a timeout message names the data source's own setting
                    throw new ReadFailure(CqlQueries.describe(e, instance), e);
                }
            });
        } finally {
            stop.forgetListeners();
        }
    }

    /** A failed read, with the text its query response would have had. */
    private static final class ReadFailure extends Exception {
        ReadFailure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The schema's meta: the shape and the channel; not the read's CQL or notices, which change every read. */
    private FrameMeta packetMeta(FrameMeta read) {
        FrameMeta m = FrameMeta.empty().withChannel(channel);
        if (read != null && read.type() != null) {
            m = m.withType(read.type(), read.typeVersion()[0], read.typeVersion()[1]);
        }
        if (read != null && read.preferredVisualisationType() != null) {
            m = m.withPreferredVisualisation(read.preferredVisualisationType());
        }
        return m;
    }

    /** What the browser compares to decide whether a schema replaces its fields: names and types. */
    static List<String> schemaOf(Frame f) {
        List<String> s = new ArrayList<>(f.fields().size());
        for (Field x : f.fields()) {
            s.add(x.name() + ":" + x.type().goName() + (x.nullable() ? "?" : ""));
        }
        return s;
    }
}
