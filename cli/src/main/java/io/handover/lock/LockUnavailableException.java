package io.handover.lock;

import io.handover.flow.FailedException;

/**
 * The lock service could not be reached by the deadline. An MHA hook fails (exit 1) like any other
 * unreachable backend; a switchover refuses (exit 4), since it changed nothing yet.
 */
public final class LockUnavailableException extends FailedException {

    public LockUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
