package io.handover.toolkit;

import io.handover.api.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a write, then reads back that it took effect. After an AMBIGUOUS failure (Consul's
 * "leadership lost while committing log", an EC2 call that timed out after it was sent) the
 * read-back decides at once, rather than after a retry pause: the write may well be applied.
 * A read-back that shows something else means another writer, or a read that cannot see what
 * was written: RETRYABLE, so that the caller's {@link RetryLoop} writes again.
 */
public final class ReadBack {

    private static final Logger log = LoggerFactory.getLogger(ReadBack.class);

    /** The write, applied once. */
    public interface Write {
        void apply() throws BackendException;
    }

    /** Reads the state the write should have made: null if it shows it, else what it shows instead. */
    public interface Check {
        String mismatch() throws BackendException;
    }

    private ReadBack() {}

    /**
     * @param target what is written, for messages ({@code consul service main-master})
     * @param hint why a read-back may disagree with a write that succeeded, appended to that error
     */
    public static void apply(String target, Write write, Check readBack, String hint) throws BackendException {
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
            // the write was acknowledged, so it is applied; verify() checks what clients see
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
        throw BackendException.retryable("after the write to " + target + " " + mismatch + " (" + hint + ")", null);
    }
}
