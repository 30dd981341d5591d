package io.handover.api;

/**
 * Tells which MySQL server answers at an address: a backend that moves an address (a VIP, a route)
 * verifies by connecting the way a client does and comparing the answer with the new master's own.
 * Provided by the core, which holds the MySQL credentials.
 */
@FunctionalInterface
public interface ServerIdentity {

    /** The server's {@code @@server_uuid} (MySQL) or {@code @@server_id} (MariaDB) at {@code address:port}. */
    String of(String address, int port, Deadline deadline) throws BackendException;
}
