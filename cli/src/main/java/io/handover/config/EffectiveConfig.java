package io.handover.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.handover.api.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configuration as handover understood it: the file's values with every secret replaced by
 * {@code [REDACTED]}, and every key the file leaves out with the default handover uses, marked
 * {@code # default}.
 */
public final class EffectiveConfig {

    /** Redacted even if no reader declared them secret: a typo'd key must not leak either. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|token|secret|private-key).*");
    private static final ConfigOrigin DEFAULT = ConfigOriginFactory.newSimple("default").withComments(List.of(" default"));

    private EffectiveConfig() {}

    public static String render(HandoverConfig config) {
        Object tree = redact(config.resolved().root(), "", config.secretPaths());
        config.defaults().forEach((path, value) -> insert(tree, segments(path), 0, value));
        return ConfigValueFactory.fromAnyRef(tree)
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(true).setJson(false))
                .strip();
    }

    private static Object redact(ConfigValue value, String path, Set<String> secretPaths) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            Map<String, Object> result = new TreeMap<>();
            for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
                String key = entry.getKey();
                String childPath = path.isEmpty() ? ConfigUtil.joinPath(key) : path + "." + ConfigUtil.joinPath(key);
                boolean secret = secretPaths.contains(childPath)
                        || SECRET_NAME.matcher(key).matches() && !key.endsWith("-file");
                result.put(key, secret ? Secret.REDACTED : redact(entry.getValue(), childPath, secretPaths));
            }
            return result;
        }
        if (value.valueType() == ConfigValueType.LIST) {
            List<Object> result = new ArrayList<>();
            List<?> items = (List<?>) value;
            for (int i = 0; i < items.size(); i++) {
                result.add(redact((ConfigValue) items.get(i), path + "[" + i + "]", secretPaths));
            }
            return result;
        }
        return value.unwrapped();
    }

    /** Puts a default where the file has no value; a path through a list element the file lacks is left out. */
    @SuppressWarnings("unchecked")
    private static void insert(Object node, List<Object> path, int at, Object value) {
        Object segment = path.get(at);
        boolean last = at == path.size() - 1;
        if (node instanceof Map<?, ?> map && segment instanceof String key) {
            Map<String, Object> object = (Map<String, Object>) map;
            if (last) {
                object.putIfAbsent(key, ConfigValueFactory.fromAnyRef(shown(value)).withOrigin(DEFAULT));
            } else if (!(path.get(at + 1) instanceof Integer)) {
                insert(object.computeIfAbsent(key, absent -> new TreeMap<String, Object>()), path, at + 1, value);
            } else if (object.containsKey(key)) {
                insert(object.get(key), path, at + 1, value);
            }
        } else if (node instanceof List<?> list && segment instanceof Integer index && index < list.size() && !last) {
            insert(list.get(index), path, at + 1, value);
        }
    }

    /** A default as the file would write it: {@code 30s}, not {@code PT30S}. */
    private static Object shown(Object value) {
        if (value instanceof Duration duration) {
            return ConfigLoader.show(duration);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(EffectiveConfig::shown).toList();
        }
        return value instanceof String || value instanceof Boolean || value instanceof Number ? value : String.valueOf(value);
    }

    /** {@code handover.clusters."a.b".hosts[0].port} as {@code [handover, clusters, a.b, hosts, 0, port]}. */
    static List<Object> segments(String path) {
        List<Object> segments = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int end = path.indexOf(']', i);
                segments.add(Integer.parseInt(path.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '"') {
                StringBuilder key = new StringBuilder();
                for (i++; path.charAt(i) != '"'; i++) {
                    if (path.charAt(i) == '\\') {
                        i++;
                    }
                    key.append(path.charAt(i));
                }
                segments.add(key.toString());
                i++;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                segments.add(path.substring(i, end));
                i = end;
            }
        }
        return segments;
    }
}
