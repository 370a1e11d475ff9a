package io.opencql.cql.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.opencql.cql.internal.kernel.CqlSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page size a query asks for around the row limit: when the limit fits in one page, the page holds one row
 * more than the limit, so that a result of exactly rowLimit rows (no row past it) is told apart from rowLimit + 1
 * (one row past it) without a further request. RowLimitIT proves the notice on the node for both.
 */
class RowLimitPagingTest {

    static int pageSize(int settingPageSize, long limit) {
        CqlSettings s = new CqlSettings(List.of(), null, null, DefaultConsistencyLevel.LOCAL_ONE, Duration.ofSeconds(5),
                Duration.ofSeconds(30), settingPageSize, limit, true, CqlSettings.Tls.OFF, null, null);
        return CqlQueries.statement(s, "SELECT * FROM t", limit, Duration.ofSeconds(30)).getPageSize();
    }

    @Test
    void aLimitEqualToThePageSizeAsksForOneRowMore() {
        assertEquals(5001, pageSize(5000, 5000)); // exactly rowLimit: a full page alone would not tell
        assertEquals(5000, pageSize(5000, 4999)); // rowLimit + 1 = the page: the extra row is already in it
        assertEquals(5000, pageSize(5000, 5001)); // above one page: the reader probes past a full last page
        assertEquals(11, pageSize(10, 10)); // small page sizes alike
    }
}
