package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import io.opencql.cql.internal.kernel.CqlInstance;

/**
 * Before the read-only guard refuses a statement that starts with no known CQL keyword, asks the node whether it
 * parses at all: a typo ({@code SELEC * FROM t}) deserves the node's syntax message, not "refused: the data source is
 * read-only" (a statement that starts like a write is refused without asking: it never reaches the node). The
 * node is asked to <em>prepare</em> the statement, which parses and validates it and never runs it, so nothing is
 * written. Only a syntax error is reported; anything else (the statement parses, the node is unreachable, the
 * session cannot open) leaves the refusal to the guard.
 */
final class SyntaxCheck {

    private SyntaxCheck() {
    }

    /** @throws SyntaxError the node's message, when {@code cql} does not parse */
    static void failIfUnparsable(CqlInstance instance, String cql) {
        CqlSession session;
        try {
            session = instance.session();
        } catch (Exception e) {
            return; // no node to ask: the guard refuses as before
        }
        try {
            session.prepare(cql);
        } catch (SyntaxError e) {
            throw e;
        } catch (RuntimeException parsesOrUnknown) {
            // it parses (then it may be refused as a write) or the node could not say
        }
    }
}
