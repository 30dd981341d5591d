package io.handover.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One object of the configuration, as a backend sees it: typed getters that record a problem
 * (with its path and {@code file:line}) instead of throwing, so that a user sees every problem at
 * once. A small interface, not a HOCON class: the SPI does not depend on how configuration is
 * parsed. Keys never asked for are refused by {@link #rejectUnknownKeys()}: a misspelt key must
 * not silently fall back to a default.
 */
public interface ConfigReader {

    /** The path of this object: {@code handover.backends.consul}; empty at the root. */
    String path();

    /** The path of one of its keys, for messages. */
    String path(String key);

    boolean has(String key);

    /** The keys present, sorted. */
    Set<String> keys();

    /** A required string; null after a problem. */
    String string(String key);

    String string(String key, String fallback);

    default Optional<String> optionalString(String key) {
        return Optional.ofNullable(string(key, null));
    }

    /** A file name; a relative one starts at the folder of the file that sets it. */
    Optional<Path> file(String key);

    /** A value printed as {@code [REDACTED]} wherever the configuration is shown. */
    Optional<Secret> secret(String key);

    boolean bool(String key, boolean fallback);

    /** An integer in {@code [min, max]}; {@code fallback} when absent. */
    int integer(String key, int fallback, int min, int max);

    /** A required integer in {@code [min, max]}; 0 after a problem. */
    int integer(String key, int min, int max);

    /** A positive duration with a unit ({@code 5s}, {@code 250ms}); {@code fallback} when absent. */
    Duration duration(String key, Duration fallback);

    List<String> stringList(String key, List<String> fallback);

    /** A nested object; an empty reader when absent. */
    ConfigReader object(String key);

    /** The entries of a nested object whose values are all objects. */
    Map<String, ConfigReader> objects(String key);

    /** A required, non-empty list of objects. */
    List<ConfigReader> objectList(String key);

    /** The entries of a nested object whose values are all strings, such as {@code interfaces { db1 = eth1 }}. */
    Map<String, String> stringMap(String key);

    /** Records a problem with one key of this object. */
    void problem(String key, String message);

    /** Records a problem with this object as a whole. */
    void problem(String message);

    /** Reports every key of this object that nothing asked for. */
    void rejectUnknownKeys();
}
