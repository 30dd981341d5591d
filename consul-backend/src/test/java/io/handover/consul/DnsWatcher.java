package io.handover.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a set of Consul DNS servers for a service over and over in the background while a test
 * switches the master, and remembers every answer that named more than one address: the one
 * thing a master switch must never produce.
 */
final class DnsWatcher implements AutoCloseable {

    private final List<String> endpoints;
    private final String service;
    private final List<String> doubleAnswers = new CopyOnWriteArrayList<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    DnsWatcher(List<String> endpoints, String service) {
        this.endpoints = List.copyOf(endpoints);
        this.service = service;
        this.thread = new Thread(this::watch, "dns-watcher-" + service);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            for (String endpoint : endpoints) {
                try {
                    List<String> addresses = TestDns.addresses(endpoint, service);
                    queries.incrementAndGet();
                    if (addresses.size() > 1) {
                        doubleAnswers.add(endpoint + " answered " + addresses);
                    }
                } catch (Exception e) {
                    // a killed server does not answer: that is not a double answer
                }
            }
        }
    }

    /** Every answer that named two or more masters. */
    List<String> doubleAnswers() {
        return new ArrayList<>(doubleAnswers);
    }

    int queries() {
        return queries.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
