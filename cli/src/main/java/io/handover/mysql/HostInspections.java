package io.handover.mysql;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.MysqlSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hosts asked in one run: each server (address, port and login) at most once however many
 * clusters name it, at most {@code parallelism} at a time however many clusters there are. Each
 * answer has a hard stop above Connector/J's own timeouts, for a server that accepts but never
 * answers, counted from when it was asked, not from when it was queued; and none is awaited past the
 * caller's deadline: a server that drips its answer a byte at a time never trips a socket timeout.
 */
public final class HostInspections implements AutoCloseable {

    /** Enough to ask a hundred hosts in a few rounds; few enough for any resolver and any server. */
    public static final int DEFAULT_PARALLELISM = 32;

    private record Key(String address, int port, MysqlSettings settings) {}

    private static final class Inspection {
        final AtomicLong startedNanos = new AtomicLong();
        volatile Future<HostStatus> future;
    }

    private final ExecutorService executor;
    private final Map<Key, Inspection> inspections = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();

    public HostInspections(int parallelism) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, parallelism), runnable -> {
            Thread thread = new Thread(runnable, "inspect-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts asking {@code host} unless it is already being asked; returns at once. Its login and statements end by {@code deadline}. */
    public void start(Host host, MysqlSettings settings, Deadline deadline) {
        inspection(host, settings, deadline);
    }

    /** What {@code host} answered, under its name in this cluster; unreachable after the hard stop or the deadline. */
    public HostStatus await(Host host, MysqlSettings settings, Deadline deadline) {
        Inspection inspection = inspection(host, settings, deadline);
        Duration limit = limit(settings);
        try {
            while (true) {
                long started = inspection.startedNanos.get();
                // queued: wait for a thread without counting it against the host
                long waitNanos = started == 0 ? TimeUnit.MILLISECONDS.toNanos(50) : started + limit.toNanos() - System.nanoTime();
                waitNanos = Math.min(waitNanos, deadline.remaining().toNanos());
                try {
                    return inspection.future.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS).forHost(host);
                } catch (TimeoutException e) {
                    if (started != 0 || deadline.expired()) {
                        inspection.future.cancel(true);
                        Duration waited = started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
                        return HostStatus.unreachable(host, "no answer within " + waited.toMillis() + " ms"
                                + (deadline.expired() ? ", by the deadline" : ""), waited);
                    }
                }
            }
        } catch (ExecutionException e) {
            return HostStatus.unreachable(host, String.valueOf(e.getCause()), Duration.ZERO);
        } catch (CancellationException e) {
            return HostStatus.unreachable(host, "no answer within " + limit.toMillis() + " ms", limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HostStatus.unreachable(host, "interrupted", Duration.ZERO);
        }
    }

    /** How many servers were asked: each once. */
    public int asked() {
        return asked.get();
    }

    private Inspection inspection(Host host, MysqlSettings settings, Deadline deadline) {
        return inspections.computeIfAbsent(new Key(host.address().toLowerCase(java.util.Locale.ROOT), host.port(), settings), key -> {
            Inspection inspection = new Inspection();
            asked.incrementAndGet();
            inspection.future = executor.submit(() -> {
                inspection.startedNanos.set(System.nanoTime());
                return new HostInspector(settings.within(deadline)).inspect(host);
            });
            return inspection;
        });
    }

    /** A hard stop above Connector/J's own timeouts: connect, then a few statements. */
    static Duration limit(MysqlSettings settings) {
        return settings.connectTimeout().plus(settings.readTimeout().multipliedBy(3)).plusSeconds(1);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
