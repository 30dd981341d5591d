package io.handover.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.handover.api.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The configuration as handover understood it, with every secret replaced by {@code [REDACTED]}. */
public final class EffectiveConfig {

    /** Redacted even if no reader declared them secret: a typo'd key must not leak either. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|token|secret|private-key).*");

    private EffectiveConfig() {}

    public static String render(HandoverConfig config) {
        Object redacted = redact(config.resolved().root(), "", config.secretPaths());
        return ConfigValueFactory.fromAnyRef(redacted)
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false))
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
}
