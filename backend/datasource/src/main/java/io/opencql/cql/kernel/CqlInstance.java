package io.opencql.cql.kernel;

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

    @Override
    void close();
}
