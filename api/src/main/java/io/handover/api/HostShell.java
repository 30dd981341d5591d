package io.handover.api;

/** Runs a read-only command on a host, the way a backend reaches it (see {@link Backend#hostShell}). */
@FunctionalInterface
public interface HostShell {

    /**
     * What {@code command} prints on {@code host}.
     *
     * @throws BackendException if the host cannot be reached by the deadline, or the command fails
     */
    String read(Host host, String command, Deadline deadline) throws BackendException;
}
