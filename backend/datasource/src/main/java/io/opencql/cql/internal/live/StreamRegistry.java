package io.opencql.cql.internal.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opencql.cql.internal.kernel.QueryException;
import io.opencql.cql.internal.query.QueryModel;
import io.opencql.cql.internal.query.StreamIssuer;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.data.Frame;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this plugin has issued channels for: id → {@link StreamSpec} and the stream's {@link TailCursor}.
 *
 * <p>QueryData registers a stream when it answers a {@code stream: true} query ({@link #issue}); SubscribeStream
 * and RunStream find it by the id in the channel's path. Nothing else creates entries, so only issued paths are
 * ever served.
 *
 * <p>Each entry is also kept as a small file, {@code <dir>/<id>.json} (the spec and the cursor, no settings, no
 * secrets; written to a temporary file and renamed, so a crash never leaves half a file), because Grafana calls
 * RunStream again after the plugin process restarts with nothing but the path: the new process finds the spec
 * there, and the cursor lets it continue where the old one stopped. The cursor is saved after every packet. Files
 * of streams neither issued nor run for {@link #RETENTION} are deleted. When the directory cannot be written,
 * streams still work from memory (a warning says so once).
 */
public final class StreamRegistry implements StreamIssuer {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);

    /**
     * Jackson on first use (the first Live query), not when the data source is built: initialising databind
     * is a twentieth of the plugin's start, and it ran before the handshake.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Entries held in memory at most (least recently used leave first; their files stay). */
    static final int MAX_IN_MEMORY = 10_000;
    static final Duration RETENTION = Duration.ofDays(30);
    /** How far back a starting tail may reach: a stream resumed after a long pause does not replay hours of rows. */
    public static final Duration MAX_CATCH_UP = Duration.ofMinutes(5);
    private static final int FILE_VERSION = 1;

    /** One issued stream. Its cursor is shared by the QueryData answers and the tail runs of its channel. */
    public static final class Entry {
        private final String id;
        private final StreamSpec spec;
        private TailCursor cursor; // guarded by this
        private int running; // guarded by this

        Entry(String id, StreamSpec spec, TailCursor cursor) {
            this.id = id;
            this.spec = spec;
            this.cursor = cursor;
        }

        public String id() {
            return id;
        }

        public StreamSpec spec() {
            return spec;
        }

        public String path() {
            return StreamPath.path(id);
        }

        synchronized TailCursor cursor() {
            return cursor;
        }
    }

    private final Path dir;
    private final Map<String, Entry> entries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_IN_MEMORY;
        }
    });
    private final AtomicBoolean swept = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicBoolean writeWarned = new AtomicBoolean();

    /** @param dir where the entries' files go; null keeps them in memory only */
    public StreamRegistry(Path dir) {
        this.dir = dir;
    }

    /**
     * {@code $GF_PLUGIN_STATE_DIR/streams} (Grafana passes {@code [plugin.opencql-cql-datasource] state_dir} as that
     * variable), else {@code <java.io.tmpdir>/opencql-cql-datasource/streams}.
     */
    public static Path defaultDirectory() {
        String configured = System.getenv("GF_PLUGIN_STATE_DIR");
        Path base = configured != null && !configured.isBlank() ? Path.of(configured.trim())
                : Path.of(System.getProperty("java.io.tmpdir"), "opencql-cql-datasource");
        return base.resolve("streams");
    }

    public Path directory() {
        return dir;
    }

    // ---- QueryData

    /**
     * Registers the stream of a query QueryData is answering and returns its channel. The tail continues after the
     * newest row of {@code initial} (up to the request's end time, at most now), unless the channel's tail is already
     * running: then it goes on from where it is, so that its subscribers lose nothing.
     */
    @Override
    public String issue(PluginContext ctx, QueryModel model, String refId, Frame initial, int timeField, TimeRange range) {
        StreamSpec spec = StreamSpec.of(ctx, model, refId);
        String id = spec.id();
        String channel;
        try {
            channel = StreamPath.channel(spec.dataSourceUid(), StreamPath.path(id));
        } catch (IllegalArgumentException e) {
            throw QueryException.badRequest("this query cannot stream: " + e.getMessage());
        }
        long now = System.currentTimeMillis();
        long cap = Math.multiplyExact(range == null ? now : Math.min(range.toEpochMs(), now), 1_000_000L);
        long late = TailCursor.LATENESS.toNanos();
        long floor = range == null ? cap - late : Math.min(cap, Math.multiplyExact(range.fromEpochMs(), 1_000_000L));
        TailCursor after = TailCursor.after(initial, timeField, cap, late, floor);
        Entry e = find(id);
        if (e == null) {
            e = new Entry(id, spec, after);
            Entry raced = entries.putIfAbsent(id, e);
            e = raced != null ? raced : e;
        }
        synchronized (e) {
            if (e.running == 0) {
                e.cursor = after;
            }
            save(e);
        }
        return channel;
    }

    // ---- SubscribeStream / RunStream

    /** The entry of an id this plugin issued (in memory, else from its file), or null. */
    public Entry find(String id) {
        if (!StreamPath.isId(id)) {
            return null;
        }
        Entry e = entries.get(id);
        if (e != null) {
            return e;
        }
        e = load(id);
        if (e == null) {
            return null;
        }
        Entry raced = entries.putIfAbsent(id, e);
        return raced != null ? raced : e;
    }

    /**
     * A tail starts: the cursor it continues from, no older than {@link #MAX_CATCH_UP} before now (an older one is
     * replaced by "now minus that", having sent nothing there).
     */
    TailCursor startRun(Entry e, long nowNanos) {
        synchronized (e) {
            e.running++;
            long floor = nowNanos - MAX_CATCH_UP.toNanos();
            if (e.cursor == null || e.cursor.timeNanos() < floor) {
                e.cursor = TailCursor.at(floor);
            }
            return e.cursor;
        }
    }

    /** A tail sent rows: its cursor (kept if it is the newer) is saved. */
    void sent(Entry e, TailCursor c) {
        synchronized (e) {
            e.cursor = c.newer(e.cursor);
            save(e);
        }
    }

    /** A tail finished a read that answered (its rows, if any, already sent). */
    void readDone() {
        reads.incrementAndGet();
    }

    /** Reads that answered, over all tails: tests wait for reads after a point instead of sleeping. */
    public long reads() {
        return reads.get();
    }

    void endRun(Entry e) {
        synchronized (e) {
            e.running--;
        }
    }

    // ---- files

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }

    /** Writes the entry's file (called with the entry locked, so writes of one entry never interleave). */
    private void save(Entry e) {
        if (dir == null) {
            return;
        }
        sweepOnce();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", FILE_VERSION);
        root.put("id", e.id);
        root.set("spec", e.spec.toJson());
        if (e.cursor != null) {
            ObjectNode c = root.putObject("cursor");
            c.put("timeNanos", e.cursor.timeNanos());
            c.put("horizonNanos", e.cursor.horizonNanos());
            ObjectNode sent = c.putObject("sent");
            e.cursor.sent().forEach((t, keys) -> {
                ObjectNode at = sent.putObject(Long.toString(t));
                new java.util.TreeMap<>(keys).forEach(at::put);
            });
        }
        Path tmp = null;
        try {
            createDirectories();
            tmp = Files.createTempFile(dir, e.id + ".", ".tmp", ownerOnly(false));
            Files.write(tmp, Json.MAPPER.writeValueAsBytes(root));
            try {
                Files.move(tmp, file(e.id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException x) {
                Files.move(tmp, file(e.id), StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException x) {
            if (writeWarned.compareAndSet(false, true)) {
                LOG.warn("cannot save live stream state in {} ({}); streams work, but after a plugin restart Grafana's"
                        + " subscriptions cannot be served until the dashboards query again. Set a writable directory with"
                        + " [plugin.opencql-cql-datasource] state_dir (GF_PLUGIN_STATE_DIR)", dir, x.toString());
            } else {
                LOG.debug("cannot save live stream state for {}: {}", e.id, x.toString());
            }
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is swept later
                }
            }
        }
    }

    private Entry load(String id) {
        if (dir == null) {
            return null;
        }
        Path f = file(id);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(f));
        } catch (NoSuchFileException x) {
            return null;
        } catch (IOException | RuntimeException x) {
            LOG.warn("live stream state {} is unreadable, ignoring it: {}", f, x.toString());
            return null;
        }
        try {
            if (root == null || root.path("version").asInt() != FILE_VERSION) {
                throw new IllegalArgumentException("unknown version " + (root == null ? null : root.get("version")));
            }
            StreamSpec spec = StreamSpec.fromJson(root.get("spec"));
            if (!id.equals(spec.id())) {
                // the file does not describe the stream its name says (edited, or copied over): never serve it
                throw new IllegalArgumentException("its spec hashes to " + spec.id());
            }
            TailCursor cursor = null;
            JsonNode c = root.get("cursor");
            if (c != null && c.isObject()) {
                Map<Long, Map<String, Integer>> sent = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> times = c.path("sent").fields();
                while (times.hasNext()) {
                    Map.Entry<String, JsonNode> at = times.next();
                    Map<String, Integer> keys = new HashMap<>();
                    at.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), k.getValue().asInt()));
                    sent.put(Long.parseLong(at.getKey()), keys);
                }
                cursor = new TailCursor(c.path("timeNanos").asLong(), c.path("horizonNanos").asLong(), sent);
            }
            return new Entry(id, spec, cursor);
        } catch (RuntimeException x) {
            LOG.warn("live stream state {} is not valid, ignoring it: {}", f, x.getMessage());
            return null;
        }
    }

    private void createDirectories() throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, ownerOnly(true));
            }
            Files.createDirectories(dir, ownerOnly(true));
            LOG.info("live stream state is kept in {}", dir);
        }
    }

    /** Query text is no secret, but nobody else on the host needs to read it either. */
    private static FileAttribute<?>[] ownerOnly(boolean directory) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
    }

    /** Once per process, on first use (not at start-up): files of long unused streams and stray temporary files go. */
    private void sweepOnce() {
        if (!swept.compareAndSet(false, true) || !Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(RETENTION);
        Instant tmpCutoff = Instant.now().minus(Duration.ofHours(1));
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                boolean json = name.endsWith(".json");
                if (!json && !name.endsWith(".tmp")) {
                    continue;
                }
                FileTime modified = Files.getLastModifiedTime(p);
                if (modified.toInstant().isBefore(json ? cutoff : tmpCutoff)) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        } catch (IOException x) {
            LOG.debug("sweeping {} failed: {}", dir, x.toString());
        }
        if (deleted > 0) {
            LOG.info("deleted {} live stream state files unused for {} days from {}", deleted, RETENTION.toDays(), dir);
        }
    }
}
