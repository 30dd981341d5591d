package io.handover.vip;

import io.handover.api.BackendException;

/** What a remote command may have done when it fails without an answer: this decides between RETRYABLE and AMBIGUOUS. */
enum Effect {
    /** Only reads: no answer means nothing changed, and asking again is safe. */
    READ,
    /** Changes the host: with no answer it may or may not have been applied. */
    WRITE;

    /** The failure of a call that gave no answer, typed by what it may have done. */
    BackendException noAnswer(String message, Throwable cause) {
        return this == READ ? BackendException.retryable(message, cause)
                : BackendException.ambiguous(message + "; it may have been applied", cause);
    }
}
