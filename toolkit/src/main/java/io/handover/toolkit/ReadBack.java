package io.handover.consul;

import io.handover.api.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a catalog transaction, then reads back that it took effect. After an AMBIGUOUS failure
 * (Consul: "leadership lost while committing log") the read-back decides, at once rather than
 * after a retry pause: the write may well be applied (RIG.md). A read-back that shows something
 * else means another writer, or a token whose missing read rules hide entries: RETRYABLE, so that
 * the caller's retry loop writes again.
 */
final class CatalogWriter {

    private static final Logger log = LoggerFactory.getLogger(CatalogWriter.class);

    /** The write: one {@code PUT /v1/txn}. */
    interface Write {
        void apply() throws BackendException;
    }

    /** Reads the state the write should have made: null if it shows it, else what it shows instead. */
    interface ReadBack {
        String mismatch() throws BackendException;
    }

    private CatalogWriter() {}

    static void apply(String target, Write write, ReadBack readBack) throws BackendException {
        BackendException ambiguous = null;
        try {
            write.apply();
        } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.AMBIGUOUS) {
                throw e;
            }
            ambiguous = e;
        }
        String mismatch;
        try {
            mismatch = readBack.mismatch();
        } catch (BackendException e) {
            if (ambiguous != null) {
                throw ambiguous;
            }
            // Consul answered 200, so the transaction is committed; verify() checks what clients see
            log.debug("{}: applied, but the read-back failed: {}", target, e.getMessage());
            return;
        }
        if (mismatch == null) {
            if (ambiguous != null) {
                log.debug("{}: the read-back shows the change applied despite: {}", target, ambiguous.getMessage());
            }
            return;
        }
        if (ambiguous != null) {
            throw ambiguous;
        }
        throw BackendException.retryable("after the transaction on " + target + " " + mismatch
                + " (another writer, or a token without node:read and service:read, which hides entries)", null);
    }
}
