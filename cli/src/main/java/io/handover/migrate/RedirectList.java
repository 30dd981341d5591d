package io.handover.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cluster's {@code redirect} list as configuration text, one entry per element, so that the edit a
 * stage needs can be printed exactly: the entries as the user wrote them (resolved), moved or left out.
 *
 * @param backends each entry's backend, in order
 * @param entries each entry as HOCON, in order
 */
public record RedirectList(List<String> backends, List<String> entries) {

    /** What a list of one redirect leaves to the user, as a HOCON comment so that the edit can be pasted whole. */
    private static final String ALONE = "# secondary-failure may go too: with one redirect there is no secondary";

    public RedirectList {
        backends = List.copyOf(backends);
        entries = List.copyOf(entries);
    }

    /** {@code handover.clusters.<cluster>.redirect} of a resolved configuration. */
    public static RedirectList of(Config resolved, String cluster) {
        List<? extends ConfigValue> values = resolved.getList(ConfigUtil.joinPath("handover", "clusters", cluster, "redirect"));
        return new RedirectList(values.stream().map(value -> String.valueOf(value.atKey("x").getString("x.backend"))).toList(),
                values.stream().map(RedirectList::entry).toList());
    }

    /** A new entry: {@code { backend = "consul", service = "main-master" }}. */
    static String entry(String backend, String key, String value) {
        return entry(ConfigValueFactory.fromMap(Map.of("backend", backend, key, value)));
    }

    /**
     * One entry on one line as the documentation writes it, {@code backend} first and the other keys
     * sorted (the configuration keeps no order): {@code { backend = "vip", address = "198.51.100.50/24", interface = "eth0" }}.
     */
    private static String entry(ConfigValue entry) {
        ConfigObject object = (ConfigObject) entry;
        List<String> keys = new ArrayList<>(object.keySet().stream().sorted().toList());
        if (keys.remove("backend")) {
            keys.add(0, "backend");
        }
        return "{ " + keys.stream().map(key -> field(key, object.get(key))).collect(Collectors.joining(", ")) + " }";
    }

    /** {@code key = value}, or {@code key { ... }} for an object, as in {@code interfaces { db3 = "eth1" }}. */
    private static String field(String key, ConfigValue value) {
        String name = ConfigUtil.joinPath(key);
        return value instanceof ConfigObject ? name + " " + entry(value) : name + " = " + value(value);
    }

    /** Strings quoted (and escaped), so that what the user wrote round-trips whatever it holds. */
    private static String value(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> ConfigUtil.quoteString((String) value.unwrapped());
            case LIST -> "[" + ((ConfigList) value).stream().map(RedirectList::value).collect(Collectors.joining(", ")) + "]";
            case OBJECT -> entry(value);
            default -> value.render(ConfigRenderOptions.concise());
        };
    }

    /**
     * The list in HOCON, one entry a line: {@code redirect = [ ... ]}. A list of one ends with a comment
     * that {@code secondary-failure} may go: it would have no redirect left to govern.
     */
    static String render(List<String> entries) {
        return "redirect = [\n" + entries.stream().map(entry -> "  " + entry + "\n").reduce("", String::concat) + "]"
                + (entries.size() == 1 ? "\n" + ALONE : "");
    }
}
