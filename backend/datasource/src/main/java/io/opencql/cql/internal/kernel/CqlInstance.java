package io.opencql.cql.internal.kernel;

import com.datastax.oss.driver.api.core.CqlSession;

/**
 * Everything one data source (one set of settings) owns: its parsed settings and exactly one driver session,
 * opened lazily on first use and shared by all its queries; closed when the data source's settings change
 * (after in-flight requests finish) or the plugin stops.
 */
public interface CqlInstance extends AutoCloseable {

    /** The settings, or the reason they are invalid (then {@link #session()} throws the same). */
    CqlSettings settings() throws InvalidSettingsException;

    /** The shared session, connecting on first call; throws the driver's exception when it cannot connect. */
    CqlSession session() throws InvalidSettingsException;

    /**
     * Drops {@code stale} if it is still this instance's session (closing it in the background), so that the next
     * {@link #session()} opens a new one. For a session that cannot recover by itself: its nodes are back, but it
     * only marks a node up once a pool connection opens, and those are refused (e.g. its keyspace was dropped).
     */
    default void reopen(CqlSession stale) {
    }

    @Override
    void close();
}
