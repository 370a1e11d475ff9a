package io.opencql.cql.internal.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.cql.internal.query.CqlQueries;
import io.opencql.cql.internal.query.QueryModel;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing channels, keeping them across a restart, and who may subscribe. No database needed. */
class StreamRegistryTest {

    static final long MS = 1_000_000L;

    @TempDir
    Path tmp;

    static PluginContext ctx(long org, String uid) {
        DataSourceSettings ds = new DataSourceSettings(7, uid, "cql", null, null, null, false, null,
                "{\"contactPoints\":\"127.0.0.1:1\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("password", "s3cret-Pa55"), 1, "");
        return new PluginContext(org, "opencql-cql-datasource", null, ds, Map.of(), "", "", "");
    }

    static QueryModel model(String cql) {
        return QueryModel.parse(("{\"cql\":\"" + cql + "\",\"stream\":true,\"streamIntervalMs\":500}").getBytes(StandardCharsets.UTF_8));
    }

    static Frame frame(long... timesMs) {
        Frame f = new Frame("A");
        var t = f.addField("ts", FieldType.TIME, false);
        var v = f.addField("v", FieldType.INT64, true);
        for (long ms : timesMs) {
            t.appendLong(ms * MS);
            v.appendLong(ms);
        }
        return f;
    }

    /** Issues with a request ending at 1000 ms (rows after it are left to the tail). */
    static String issue(StreamRegistry r, PluginContext ctx, String cql, long... timesMs) {
        return issueUntil(r, ctx, cql, 1_000, timesMs);
    }

    static String issueUntil(StreamRegistry r, PluginContext ctx, String cql, long toMs, long... timesMs) {
        try (Frame f = frame(timesMs)) {
            return r.issue(ctx, model(cql), "A", f, 0, new TimeRange(0, toMs));
        }
    }

    static StreamRequest request(PluginContext ctx, String path) {
        return new StreamRequest(ctx, path, null, Map.of());
    }

    @Test
    void anIssuedChannelNamesTheDataSourceAndATailPath() {
        StreamRegistry r = new StreamRegistry(tmp.resolve("streams"));
        String channel = issue(r, ctx(1, "cql-demo"), "SELECT ts, v FROM t WHERE $__timeFilter(ts)", 100, 200);
        assertTrue(channel.matches("ds/cql-demo/tail/[A-Za-z0-9_-]{32}"), channel);
        String path = channel.substring("ds/cql-demo/".length());
        assertEquals(channel, issue(r, ctx(1, "cql-demo"), "SELECT ts, v FROM t WHERE $__timeFilter(ts)"), "same query, same channel");
        StreamRegistry.Entry e = r.find(StreamPath.idOf(path));
        assertEquals("SELECT ts, v FROM t WHERE $__timeFilter(ts)", e.spec().cql());
        assertEquals(500, e.spec().streamIntervalMs());
    }

    @Test
    void theCursorStartsAfterTheAnswersNewestRowUpToTheRequestsEnd() {
        StreamRegistry r = new StreamRegistry(null);
        String ch = issueUntil(r, ctx(1, "u"), "SELECT 1", 5_000, 100, 3_000, 3_000, 6_000);
        StreamRegistry.Entry e = r.find(StreamPath.idOf(ch.substring("ds/u/".length())));
        assertEquals(3_000 * MS, e.cursor().timeNanos(), "the row after the request's end is left to the tail");
        assertEquals(2_000 * MS, e.cursor().horizonNanos(), "the tail looks a second back for late rows");
        assertEquals(2, e.cursor().sent().get(3_000 * MS).values().stream().mapToInt(Integer::intValue).sum(), "twins at 3000");
        assertEquals(List.of(3_000 * MS), List.copyOf(e.cursor().sent().keySet()), "only rows within a second of the newest are kept");
        issue(r, ctx(1, "u"), "SELECT 1");
        assertEquals(new TailCursor(1_000 * MS, 0, Map.of()), e.cursor(), "an empty answer: from the request's start or end - 1 s");
    }

    @Test
    void aRestartedProcessFindsTheStreamAndItsCursorInTheStateDirectory() throws Exception {
        Path dir = tmp.resolve("state/streams");
        StreamRegistry first = new StreamRegistry(dir);
        String ch = issue(first, ctx(1, "u"), "SELECT ts, v FROM t", 100, 250);
        String id = StreamPath.idOf(ch.substring("ds/u/".length()));
        StreamRegistry.Entry e = first.find(id);
        TailCursor progressed = new TailCursor(400 * MS, 300 * MS, Map.of(400 * MS, Map.of("key", 2), 350 * MS, Map.of("other", 1)));
        first.sent(e, progressed);

        Path file = dir.resolve(id + ".json");
        assertTrue(Files.isRegularFile(file));
        String text = Files.readString(file);
        assertFalse(text.contains("s3cret"), "no secrets in the state: " + text);
        assertFalse(text.contains("127.0.0.1"), "no settings in the state: " + text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left");
        }

        StreamRegistry second = new StreamRegistry(dir);
        StreamRegistry.Entry again = second.find(id);
        assertNotNull(again);
        assertEquals(e.spec(), again.spec());
        assertEquals(progressed, again.cursor());
        assertSame(again, second.find(id));
    }

    @Test
    void aStateFileThatDoesNotHashToItsNameIsNeverServed() throws Exception {
        Path dir = tmp.resolve("streams");
        String ch = issue(new StreamRegistry(dir), ctx(1, "u"), "SELECT ts, v FROM t");
        String id = StreamPath.idOf(ch.substring("ds/u/".length()));
        Path file = dir.resolve(id + ".json");
        Files.writeString(file, Files.readString(file).replace("SELECT ts, v FROM t", "SELECT * FROM system_auth.roles"));
        assertNull(new StreamRegistry(dir).find(id));
        Files.writeString(file, "{not json");
        assertNull(new StreamRegistry(dir).find(id));
    }

    @Test
    void withoutAWritableDirectoryStreamsStillWorkFromMemory() throws Exception {
        Path blocker = tmp.resolve("file");
        Files.writeString(blocker, "x");
        StreamRegistry r = new StreamRegistry(blocker.resolve("streams")); // a directory under a file cannot exist
        String ch = issue(r, ctx(1, "u"), "SELECT 1");
        assertNotNull(r.find(StreamPath.idOf(ch.substring("ds/u/".length()))));
    }

    @Test
    void aUidLiveCannotCarryIsA400() {
        StreamRegistry r = new StreamRegistry(null);
        QueryException e = assertThrows(QueryException.class, () -> issue(r, ctx(1, "bad uid"), "SELECT 1"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("this query cannot stream: the data source uid 'bad uid' has characters"), e.getMessage());
    }

    @Test
    void aStartingTailGoesBackAtMostFiveMinutes() {
        StreamRegistry r = new StreamRegistry(null);
        String ch = issue(r, ctx(1, "u"), "SELECT 1", 100);
        StreamRegistry.Entry e = r.find(StreamPath.idOf(ch.substring("ds/u/".length())));
        long now = 3_600_000 * MS;
        assertEquals(TailCursor.at(now - StreamRegistry.MAX_CATCH_UP.toNanos()), r.startRun(e, now));
        r.endRun(e);
        r.sent(e, TailCursor.at(now - 1000 * MS));
        assertEquals(TailCursor.at(now - 1000 * MS), r.startRun(e, now));
        // while it runs, a new QueryData answer does not move the running tail's cursor
        issueUntil(r, ctx(1, "u"), "SELECT 1", Long.MAX_VALUE / MS, 5_000_000);
        assertEquals(TailCursor.at(now - 1000 * MS), e.cursor());
        r.endRun(e);
        issueUntil(r, ctx(1, "u"), "SELECT 1", Long.MAX_VALUE / MS, 5_000_000);
        assertEquals(5_000_000 * MS, e.cursor().timeNanos());
    }

    @Test
    void subscribeServesOnlyIssuedPathsOfTheRequestingDataSource() {
        StreamRegistry r = new StreamRegistry(tmp.resolve("streams"));
        CqlStreamHandler h = new CqlStreamHandler(r, new CqlQueries(r), null);
        String ch = issue(r, ctx(1, "u"), "SELECT ts, v FROM t");
        String path = ch.substring("ds/u/".length());

        assertEquals(StreamReply.Status.OK, h.subscribeStream(request(ctx(1, "u"), path)).status());
        assertEquals(0, h.subscribeStream(request(ctx(1, "u"), path)).data().length, "no initial data");
        assertEquals(StreamReply.Status.PERMISSION_DENIED, h.subscribeStream(request(ctx(1, "other"), path)).status());
        assertEquals(StreamReply.Status.PERMISSION_DENIED, h.subscribeStream(request(ctx(2, "u"), path)).status());

        String unknown = StreamPath.path(new StreamSpec(1, "", "u", "A", "SELECT * FROM secrets", "table", null, null, 0, 1000).id());
        assertEquals(StreamReply.Status.NOT_FOUND, h.subscribeStream(request(ctx(1, "u"), unknown)).status(), "a path nobody issued");
        assertEquals(StreamReply.Status.NOT_FOUND, h.subscribeStream(request(ctx(1, "u"), "tail/SELECT+1")).status());
        assertEquals(StreamReply.Status.NOT_FOUND, h.subscribeStream(request(ctx(1, "u"), "")).status());
        assertEquals(StreamReply.Status.NOT_FOUND, h.subscribeStream(request(ctx(1, "u"), "tail/../" + path)).status());

        assertEquals(StreamReply.Status.PERMISSION_DENIED, h.publishStream(request(ctx(1, "u"), path)).status());

        // a new process: the path is still served
        StreamRegistry restarted = new StreamRegistry(tmp.resolve("streams"));
        CqlStreamHandler h2 = new CqlStreamHandler(restarted, new CqlQueries(restarted), null);
        assertEquals(StreamReply.Status.OK, h2.subscribeStream(request(ctx(1, "u"), path)).status());
    }

    @Test
    void runStreamOfAnUnknownPathEndsAtOnce() throws Exception {
        StreamRegistry r = new StreamRegistry(null);
        CqlStreamHandler h = new CqlStreamHandler(r, new CqlQueries(r), null);
        h.runStream(request(ctx(1, "u"), "tail/" + "x".repeat(32)), json -> {
            throw new AssertionError("sent a packet");
        }, io.opencql.grafana.backend.RequestContext.NONE);
        assertEquals(0, h.running());
    }
}
