package io.handover.toolkit;

import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.api.Secret;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one HOCON object and records every problem instead of throwing, so that a user sees all
 * of them at once, each with its path and {@code file:line}. Keys that were never read are
 * reported by {@link #rejectUnknownKeys()}: a misspelt key must not silently fall back to a default.
 */
public final class HoconConfigReader implements ConfigReader {

    /** What all readers of one configuration share. */
    private static final class Shared {
        final List<ConfigProblem> problems = new ArrayList<>();
        final Set<String> secretPaths = new LinkedHashSet<>();
        final Map<String, Object> defaults = new LinkedHashMap<>();
    }

    private final ConfigObject object;
    /** Where this object is, or for an absent one where its parent is: a missing key is reported there. */
    private final ConfigOrigin origin;
    private final String path;
    private final Shared shared;
    private final Set<String> readKeys = new LinkedHashSet<>();

    private HoconConfigReader(ConfigObject object, ConfigOrigin origin, String path, Shared shared) {
        this.object = object;
        this.origin = origin;
        this.path = path;
        this.shared = shared;
    }

    private HoconConfigReader child(ConfigObject child, String childPath) {
        return new HoconConfigReader(child, child.origin(), childPath, shared);
    }

    private HoconConfigReader empty(String childPath) {
        return new HoconConfigReader(ConfigValueFactory.fromMap(Map.of()), origin, childPath, shared);
    }

    /** A reader of a whole, resolved configuration. */
    public static HoconConfigReader of(Config config) {
        return new HoconConfigReader(config.root(), config.root().origin(), "", new Shared());
    }

    /** The path of this object: {@code handover.backends.consul}; empty at the root. */
    public String path() {
        return path;
    }

    public String path(String key) {
        String quoted = ConfigUtil.joinPath(key);
        return path.isEmpty() ? quoted : path + "." + quoted;
    }

    /** Every problem recorded by this reader and every reader made from it. */
    public List<ConfigProblem> problems() {
        return Collections.unmodifiableList(shared.problems);
    }

    /** The paths of every value read with {@link #secret}, to redact when printing. */
    public Set<String> secretPaths() {
        return Collections.unmodifiableSet(shared.secretPaths);
    }

    /**
     * The value each absent key was given by its reader's fallback, by path, for printing the
     * effective configuration: {@code handover.clusters.main.deadline} = {@code PT30S}.
     */
    public Map<String, Object> defaults() {
        return Collections.unmodifiableMap(shared.defaults);
    }

    /** Records a default the caller chose itself, by path, where no fallback of a getter says it. */
    public void defaulted(String path, Object value) {
        shared.defaults.putIfAbsent(path, value);
    }

    /** {@code fallback}, recorded as the default of an absent {@code key} (null: none). */
    private <T> T fallback(String key, T fallback) {
        if (fallback != null) {
            defaulted(path(key), fallback);
        }
        return fallback;
    }

    public boolean has(String key) {
        ConfigValue value = object.get(key);
        return value != null && value.valueType() != ConfigValueType.NULL;
    }

    /** The keys present in this object, sorted: HOCON does not keep file order. */
    public Set<String> keys() {
        return new java.util.TreeSet<>(object.keySet());
    }

    public String string(String key) {
        ConfigValue value = required(key);
        return value == null ? null : asString(key, value);
    }

    public String string(String key, String fallback) {
        ConfigValue value = optional(key);
        return value == null ? fallback(key, fallback) : asString(key, value);
    }

    public Optional<String> optionalString(String key) {
        return Optional.ofNullable(string(key, null));
    }

    /**
     * A file name; a relative one starts at the folder of the configuration file that sets it
     * (an included file's own folder), not at the working directory, which differs under MHA.
     */
    public Optional<Path> file(String key) {
        ConfigValue value = optional(key);
        if (value == null) {
            return Optional.empty();
        }
        String name = asString(key, value);
        if (name == null) {
            return Optional.empty();
        }
        Path path = Path.of(name);
        if (!path.isAbsolute() && value.origin().filename() != null) {
            path = Path.of(value.origin().filename()).toAbsolutePath().getParent().resolve(path);
        }
        return Optional.of(path);
    }

    public Optional<Secret> secret(String key) {
        shared.secretPaths.add(path(key));
        return optionalString(key).map(Secret::of);
    }

    public boolean bool(String key, boolean fallback) {
        ConfigValue value = optional(key);
        if (value == null) {
            return fallback(key, fallback);
        }
        try {
            return object.toConfig().getBoolean(ConfigUtil.joinPath(key));
        } catch (ConfigException e) {
            wrongType(key, value, "a boolean");
            return fallback;
        }
    }

    /** An integer in {@code [min, max]}; {@code fallback} when absent. */
    public int integer(String key, int fallback, int min, int max) {
        ConfigValue value = optional(key);
        return value == null ? fallback(key, fallback) : checkedInteger(key, value, fallback, min, max);
    }

    /** A required integer in {@code [min, max]}; 0 after a problem. */
    public int integer(String key, int min, int max) {
        ConfigValue value = required(key);
        return value == null ? 0 : checkedInteger(key, value, 0, min, max);
    }

    /** The longest duration any key may have; a caller may bound its own keys tighter. */
    public static final Duration MAX_DURATION = Duration.ofHours(24);

    /** A positive duration of at most {@link #MAX_DURATION}, such as {@code 5s} or {@code 250ms}; {@code fallback} when absent. */
    public Duration duration(String key, Duration fallback) {
        ConfigValue value = optional(key);
        if (value == null) {
            return fallback(key, fallback);
        }
        if (value.valueType() == ConfigValueType.NUMBER || String.valueOf(value.unwrapped()).strip().matches("[0-9.]+")) {
            // HOCON reads a bare number as milliseconds: "deadline = 30" would be 30 ms.
            problem(key, "'" + value.unwrapped() + "' has no unit (write it with one: 500ms, 30s, 1m)");
            return fallback;
        }
        Duration duration;
        try {
            duration = object.toConfig().getDuration(ConfigUtil.joinPath(key));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, "'" + value.unwrapped() + "' is not a duration (use a number and a unit: 500ms, 5s, 1m)");
            return fallback;
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(key, "must be positive, got '" + value.unwrapped() + "'");
            return fallback;
        }
        if (duration.toMillis() < 1) {
            // Timeouts are handed on in milliseconds, where 0 means "wait forever".
            problem(key, "must be at least 1ms, got '" + value.unwrapped() + "'");
            return fallback;
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            // Not clamped: a value this large is a typo or a misunderstanding, and would overflow as nanoseconds.
            problem(key, "must be at most 24h, got '" + value.unwrapped() + "': no timeout, wait or interval of handover"
                    + " can mean that");
            return fallback;
        }
        return duration;
    }

    public List<String> stringList(String key, List<String> fallback) {
        ConfigValue value = optional(key);
        if (value == null) {
            return fallback(key, fallback);
        }
        if (value.valueType() != ConfigValueType.LIST) {
            wrongType(key, value, "a list of strings");
            return fallback;
        }
        List<String> result = new ArrayList<>();
        List<?> items = (List<?>) value.unwrapped();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String || item instanceof Number) {
                result.add(String.valueOf(item));
            } else {
                record(path(key) + "[" + i + "]", "expected a string, got " + describe(ConfigValueFactory.fromAnyRef(item).valueType()), value.origin());
            }
        }
        return result;
    }

    /** A nested object; an empty reader when absent. */
    public HoconConfigReader object(String key) {
        ConfigValue value = optional(key);
        if (value == null) {
            return empty(path(key));
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            wrongType(key, value, "an object");
            return empty(path(key));
        }
        return child((ConfigObject) value, path(key));
    }

    /** The entries of a nested object whose values are all objects, such as {@code clusters { a {..}, b {..} }}. */
    public Map<String, ConfigReader> objects(String key) {
        HoconConfigReader parent = object(key);
        Map<String, ConfigReader> result = new LinkedHashMap<>();
        for (String name : parent.keys()) {
            ConfigValue value = parent.object.get(name);
            if (value.valueType() == ConfigValueType.OBJECT) {
                result.put(name, parent.object(name));
            } else {
                parent.readKeys.add(name);
                parent.wrongType(name, value, "an object");
            }
        }
        return result;
    }

    @Override
    public Map<String, String> stringMap(String key) {
        HoconConfigReader parent = object(key);
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : parent.keys()) {
            String value = parent.string(name);
            if (value != null) {
                result.put(name, value);
            }
        }
        return result;
    }

    /** A required, non-empty list of objects such as {@code hosts = [ {..}, {..} ]}. */
    public List<ConfigReader> objectList(String key) {
        ConfigValue value = required(key);
        if (value == null) {
            return List.of();
        }
        if (value.valueType() != ConfigValueType.LIST) {
            wrongType(key, value, "a list of objects");
            return List.of();
        }
        List<ConfigReader> result = new ArrayList<>();
        List<? extends ConfigValue> items = object.toConfig().getList(ConfigUtil.joinPath(key));
        for (int i = 0; i < items.size(); i++) {
            ConfigValue item = items.get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item.valueType() == ConfigValueType.OBJECT) {
                result.add(child((ConfigObject) item, itemPath));
            } else {
                record(itemPath, "expected an object, got " + describe(item.valueType()), item.origin());
            }
        }
        if (items.isEmpty()) {
            problem(key, "must not be empty");
        }
        return result;
    }

    /** Records a problem with a key of this object. */
    public void problem(String key, String message) {
        ConfigValue value = object.get(key);
        record(path(key), message, value != null ? value.origin() : origin);
    }

    /** Records a problem with this object as a whole. */
    public void problem(String message) {
        record(path.isEmpty() ? "(root)" : path, message, origin);
    }

    /** Reports every key of this object that no method of this reader asked for. */
    public void rejectUnknownKeys() {
        for (String key : keys()) {
            if (!readKeys.contains(key)) {
                String hint = closest(key, readKeys).map(known -> " (did you mean '" + known + "'?)").orElse("");
                problem(key, "unknown key '" + key + "'" + hint);
            }
        }
    }

    private ConfigValue optional(String key) {
        readKeys.add(key);
        ConfigValue value = object.get(key);
        return value == null || value.valueType() == ConfigValueType.NULL ? null : value;
    }

    private ConfigValue required(String key) {
        ConfigValue value = optional(key);
        if (value == null) {
            record(path(key), "missing required key '" + key + "'", origin);
        }
        return value;
    }

    private String asString(String key, ConfigValue value) {
        if (value.valueType() == ConfigValueType.STRING || value.valueType() == ConfigValueType.NUMBER
                || value.valueType() == ConfigValueType.BOOLEAN) {
            return String.valueOf(value.unwrapped());
        }
        wrongType(key, value, "a string");
        return null;
    }

    private int checkedInteger(String key, ConfigValue value, int fallback, int min, int max) {
        if (value.valueType() != ConfigValueType.NUMBER && !(value.unwrapped() instanceof String s && s.matches("-?\\d+"))) {
            wrongType(key, value, "an integer");
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(String.valueOf(value.unwrapped()));
        } catch (NumberFormatException e) {
            wrongType(key, value, "an integer");
            return fallback;
        }
        if (number < min || number > max) {
            problem(key, number + " is out of range " + min + "-" + max);
            return fallback;
        }
        return (int) number;
    }

    private void wrongType(String key, ConfigValue value, String expected) {
        problem(key, "expected " + expected + ", got " + describe(value.valueType()));
    }

    private void record(String problemPath, String message, ConfigOrigin origin) {
        ConfigProblem problem = new ConfigProblem(problemPath, message, format(origin));
        // A subtree shared by several clusters (handover.backends.x) is read once per cluster.
        if (!shared.problems.contains(problem)) {
            shared.problems.add(problem);
        }
    }

    /** {@code file:line}, or null where HOCON does not know the file (values built in code). */
    public static String format(ConfigOrigin origin) {
        if (origin == null || origin.filename() == null) {
            return null;
        }
        return origin.lineNumber() > 0 ? origin.filename() + ":" + origin.lineNumber() : origin.filename();
    }

    private static String describe(ConfigValueType type) {
        return switch (type) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    /** The known key nearest to a misspelt one, if it is near enough to be a likely typo. */
    public static Optional<String> closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, key.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
