package io.handover.consul;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Resolves a host name within a time limit. The JDK's resolver cannot be interrupted and waits as
 * long as the system's resolver does (resolv.conf: 5 s per nameserver and attempt), which a
 * network outage turns into an overrun of the deadline; neither OkHttp's call timeout nor
 * dnsjava's cuts it short. The lookup runs on a daemon thread of its own, and a caller that
 * gives up leaves it to finish (its answer then goes to the JDK's cache). IP literals are
 * parsed, never looked up.
 */
final class BoundedLookup {

    /** A function from host name to its addresses, so that tests can make it hang. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BoundedLookup() {}

    static List<InetAddress> lookup(String host, Duration timeout) throws UnknownHostException {
        return lookup(host, timeout, InetAddress::getAllByName);
    }

    static List<InetAddress> lookup(String host, Duration timeout, Resolver resolver) throws UnknownHostException {
        if (IPV4.matcher(host).matches() || host.contains(":")) {
            return List.of(InetAddress.getByName(host)); // a literal: no lookup
        }
        FutureTask<InetAddress[]> task = new FutureTask<>(() -> resolver.resolve(host));
        Thread thread = new Thread(task, "resolve " + host);
        thread.setDaemon(true);
        thread.start();
        try {
            return Arrays.asList(task.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw new UnknownHostException(host + ": not resolved within " + Math.max(1, timeout.toMillis()) + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            UnknownHostException failure = new UnknownHostException(host + ": " + e.getCause());
            failure.initCause(e.getCause());
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": interrupted while resolving it");
        }
    }
}
