package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.toolkit.RetryLoop;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover lock of one cluster as a Consul session lock: the key {@code <lock.prefix>/<cluster>}
 * acquired by a session with a TTL and {@code Behavior: delete}, so that the key exists exactly
 * while someone holds it, and disappears by itself when its holder dies and stops renewing. Its
 * value names the holder and since when, for whoever is refused.
 */
final class ConsulLock implements ClusterLock {

    private static final Logger log = LoggerFactory.getLogger(ConsulLock.class);
    /**
     * The most that releasing takes, on close or after a failed acquire, and never more than what is
     * left of the deadline given to {@link #acquire}: every call ends by its deadline, cleanup
     * included. Long enough to ride out a short leader election (~3.5 s, docs/CONSUL.md); past it
     * the session frees the lock by itself one to two TTLs after its last renewal.
     */
    static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(5);

    private final ConsulSessions sessions;
    private final LockConfig config;
    private final String cluster;
    private final String key;
    private final HeldLocks heldLocks;

    ConsulLock(ConsulSessions sessions, LockConfig config, String cluster, HeldLocks heldLocks) {
        this.sessions = sessions;
        this.config = config;
        this.cluster = cluster;
        this.key = config.key(cluster);
        this.heldLocks = heldLocks;
    }

    @Override
    public Lease acquire(String owner, Deadline deadline) throws HeldException, BackendException {
        String value = Json.write(Json.object().put("holder", owner)
                .put("since", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()));
        String[] session = {null};
        long[] createdNanos = {0};
        try {
            Optional<HeldException> held = RetryLoop.run("taking " + this, deadline, attempt -> {
                if (session[0] == null) {
                    createdNanos[0] = System.nanoTime(); // the TTL runs from (at the earliest) here
                    session[0] = sessions.create(config.node(), "handover " + cluster, config.consulTtl(), deadline);
                }
                return switch (sessions.acquire(key, session[0], value, deadline)) {
                    case TAKEN -> Optional.empty();
                    case REFUSED -> heldBySomeoneElse(deadline);
                    case SESSION_GONE -> {
                        session[0] = null; // it expired while Consul could not be reached: start over with a new one
                        throw BackendException.retryable("Consul no longer knows the session created for " + this, null);
                    }
                };
            });
            if (held.isEmpty()) {
                log.debug("took {} with session {}", this, session[0]);
                ConsulLease lease = ConsulLease.start(sessions, config, session[0], createdNanos[0], key, toString(), deadline,
                        released -> heldLocks.released(cluster, released));
                heldLocks.taken(cluster, lease);
                return lease;
            }
            throw held.get();
        } catch (HeldException | BackendException | RuntimeException e) {
            if (session[0] != null) {
                // also frees the key if an attempt whose answer was lost did take it
                destroyQuietly(sessions, config.node(), session[0], toString(), cleanupBy(deadline));
            }
            throw e;
        }
    }

    /**
     * Who holds the key that our acquire was refused. A key without a holder was released between
     * the two calls: retried, as is the refusal of a key during the lock-delay of a foreign session
     * that held it (handover's own sessions have none).
     */
    private Optional<HeldException> heldBySomeoneElse(Deadline deadline) throws BackendException {
        Optional<ConsulSessions.LockEntry> entry = sessions.read(key, deadline);
        if (entry.isEmpty() || entry.get().session().isEmpty()) {
            throw BackendException.retryable("Consul refused " + this + " although no session holds it now: the lock-delay"
                    + " of a session that held it and ended is still running (Consul's default is 15 s; handover's sessions have none)",
                    null);
        }
        return Optional.of(new HeldException(holding(entry.get())));
    }

    @Override
    public Optional<Holding> holding(Deadline deadline) throws BackendException {
        Optional<ConsulSessions.LockEntry> entry = RetryLoop.run("reading " + this, deadline, attempt -> sessions.read(key, deadline));
        return entry.filter(held -> !held.session().isEmpty()).map(ConsulLock::holding);
    }

    /**
     * Destroys the holding's session: Consul deletes the key with it ({@code Behavior: delete}), the
     * holder's renewals and check-session writes fail from then on, and, the session having no
     * lock-delay, the next owner takes the lock at once. A session that no longer holds the key is
     * left alone: by then the lock may be someone else's.
     */
    @Override
    public boolean breakHolding(Holding holding, Deadline deadline) throws BackendException {
        return RetryLoop.run("breaking " + this, deadline, attempt -> {
            Optional<ConsulSessions.LockEntry> entry = sessions.read(key, deadline);
            if (entry.isEmpty() || !entry.get().session().equals(holding.id())) {
                return false;
            }
            sessions.destroy(config.node(), holding.id(), deadline);
            return true;
        });
    }

    /**
     * The holder and time from the key's value; a value not written by handover names the session.
     * Anyone who may write the key writes the value: {@link Holding} escapes what it shows of it.
     */
    private static Holding holding(ConsulSessions.LockEntry entry) {
        try {
            JsonNode value = Json.read(entry.value());
            String holder = Json.text(value, "holder");
            if (!holder.isEmpty()) {
                return new Holding(holder, since(Json.text(value, "since")), entry.session());
            }
        } catch (IOException e) {
            // not handover's value: named by its session below
        }
        String value = entry.value().length() <= 100 ? entry.value() : entry.value().substring(0, 100) + "...";
        return new Holding("Consul session " + entry.session() + " (not a handover value: " + value + ")", null, entry.session());
    }

    private static Instant since(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // an unreadable time is left out of the refusal rather than failing it
        }
    }

    /** When cleanup must be done: {@link #CLEANUP_TIMEOUT} from now, or the caller's deadline if sooner. */
    static Deadline cleanupBy(Deadline deadline) {
        return deadline.shorter(CLEANUP_TIMEOUT);
    }

    /** Never throws, and returns by {@code deadline}: a session left behind expires after its TTL and then frees what it holds. */
    static void destroyQuietly(ConsulSessions sessions, String node, String session, String lock, Deadline deadline) {
        try {
            RetryLoop.run("destroying Consul session " + session + " of " + lock, deadline, attempt -> {
                sessions.destroy(node, session, deadline);
                return null;
            });
        } catch (BackendException | RuntimeException e) {
            log.warn("could not destroy Consul session {} of {}; it expires after its TTL: {}", session, lock, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "the failover lock of cluster " + cluster + " (Consul key " + key + ")";
    }
}
