package io.opencql.cql.internal.live;

import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.query.CqlQueries;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.StreamSender;
import io.opencql.grafana.instance.InstanceManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grafana Live for the data source's channels {@code ds/<uid>/tail/<id>} (README "Streaming").
 *
 * <ul>
 *   <li>SubscribeStream: OK for a path this plugin issued for the requesting org, tenant and data source;
 *       PERMISSION_DENIED when it was issued for another; NOT_FOUND otherwise (including anything that is not
 *       a {@code tail/<id>} path). No initial data: the subscriber already holds QueryData's answer.</li>
 *   <li>PublishStream: PERMISSION_DENIED; clients only read.</li>
 *   <li>RunStream: the channel's {@link LiveTail}, until Grafana cancels it. For a path that is not (or no longer)
 *       known it returns at once, which tells Grafana the stream is over.</li>
 * </ul>
 */
public final class CqlStreamHandler implements StreamHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CqlStreamHandler.class);

    private final StreamRegistry registry;
    private final CqlQueries queries;
    private final InstanceManager<CqlInstance> instances;
    private final Set<StopSignal> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public CqlStreamHandler(StreamRegistry registry, CqlQueries queries, InstanceManager<CqlInstance> instances) {
        this.registry = registry;
        this.queries = queries;
        this.instances = instances;
    }

    @Override
    public StreamReply subscribeStream(StreamRequest request) {
        StreamRegistry.Entry e = registry.find(StreamPath.idOf(request.path()));
        if (e == null) {
            LOG.debug("subscribe to unknown path {}", request.path());
            return StreamReply.notFound();
        }
        if (!e.spec().belongsTo(request.context())) {
            LOG.warn("subscribe to {} refused: it was issued for another data source or org ({})", request.path(),
                    who(request.context()));
            return StreamReply.denied();
        }
        return StreamReply.ok(null);
    }

    @Override
    public StreamReply publishStream(StreamRequest request) {
        return StreamReply.denied();
    }

    @Override
    public void runStream(StreamRequest request, StreamSender sender, RequestContext context) {
        StreamRegistry.Entry e = registry.find(StreamPath.idOf(request.path()));
        if (e == null || !e.spec().belongsTo(request.context())) {
            LOG.warn("RunStream for {} ({}): not a stream issued for this data source; ending it", request.path(),
                    who(request.context()));
            return;
        }
        String uid = request.context().dataSource().uid();
        StopSignal stop = new StopSignal();
        running.add(stop);
        try {
            if (closed) {
                return;
            }
            context.onCancel(stop::stop);
            new LiveTail(queries, instances, registry, e, "ds/" + uid + "/" + e.path()).run(request.context(), sender, stop);
        } finally {
            running.remove(stop);
        }
    }

    /** Reads of all tails that answered so far, each counted after its packet was sent (this package's tests). */
    long reads() {
        return registry.reads();
    }

    /** Tails running now (this package's tests). */
    int running() {
        return running.size();
    }

    /** Plugin shutdown: every running tail stops (each RunStream call returns). */
    @Override
    public void close() {
        closed = true;
        running.forEach(StopSignal::stop);
    }

    private static String who(PluginContext ctx) {
        return "org " + ctx.orgId() + (ctx.tenantId().isEmpty() ? "" : ", tenant " + ctx.tenantId()) + ", data source "
                + (ctx.dataSource() == null ? "none" : ctx.dataSource().uid());
    }
}
