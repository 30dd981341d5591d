package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.inject.Inject;

/**
 * Asks every host at once, so that one slow or unreachable host costs its own timeout once, not
 * once per host in turn. Daemon threads, made when needed and gone when idle: a hook process is
 * short-lived, and a command that forgets to close the backend must still exit.
 */
final class Parallel implements AutoCloseable {

    /** Every call bounds itself by the deadline; this is only for a call that did not. */
    private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(2);

    private final ExecutorService threads;

    @Inject
    Parallel() {
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "handover-vip-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One host's answer, or why it has none. */
    record Answer<T>(T value, BackendException error) {

        boolean answered() {
            return error == null;
        }
    }

    /** One call to one host, bounded by the deadline it is given. */
    @FunctionalInterface
    interface Call<T> {
        T call(Host host) throws BackendException;
    }

    /** Calls {@code call} on every host at once; the answers come in the order of {@code hosts}. */
    <T> Map<Host, Answer<T>> onEach(List<Host> hosts, Effect effect, Deadline deadline, Call<T> call) throws BackendException {
        Map<Host, Future<T>> futures = new LinkedHashMap<>();
        for (Host host : hosts) {
            futures.put(host, threads.submit(() -> call.call(host)));
        }
        Map<Host, Answer<T>> answers = new LinkedHashMap<>();
        for (Map.Entry<Host, Future<T>> future : futures.entrySet()) {
            answers.put(future.getKey(), await(future.getKey(), future.getValue(), effect, deadline, futures));
        }
        return answers;
    }

    <T> Future<T> submit(Callable<T> task) {
        return threads.submit(task);
    }

    private static <T> Answer<T> await(Host host, Future<T> future, Effect effect, Deadline deadline,
            Map<Host, ? extends Future<?>> all) throws BackendException {
        try {
            return new Answer<>(future.get(deadline.remaining().plus(STRAGGLER_GRACE).toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException failure) {
                return new Answer<>(null, failure);
            }
            return new Answer<>(null, effect.noAnswer(host.name() + " failed: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer<>(null, effect.noAnswer(host.name() + " gave no answer by the deadline", e));
        } catch (InterruptedException e) {
            all.values().forEach(other -> other.cancel(true));
            Thread.currentThread().interrupt();
            throw effect.noAnswer("interrupted while asking " + host.name(), e);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
