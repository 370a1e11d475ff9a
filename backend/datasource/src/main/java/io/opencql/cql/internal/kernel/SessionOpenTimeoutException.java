package io.opencql.cql.internal.kernel;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import java.time.Duration;

/** Opening a session took longer than connectTimeout (plus a small margin) in total. */
public final class SessionOpenTimeoutException extends DriverTimeoutException {
    private final Duration connectTimeout;
    private final Duration budget;

    public SessionOpenTimeoutException(Duration connectTimeout, Duration budget) {
        super("could not open a session within " + Seconds.text(budget) + " (jsonData.connectTimeoutSeconds is "
                + Seconds.text(connectTimeout) + ")");
        this.connectTimeout = connectTimeout;
        this.budget = budget;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public DriverException copy() {
        return new SessionOpenTimeoutException(connectTimeout, budget);
    }
}
