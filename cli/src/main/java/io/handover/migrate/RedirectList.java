package io.handover.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.List;

/**
 * A cluster's {@code redirect} list as configuration text, one entry per element, so that the edit a
 * stage needs can be printed exactly: the entries as the user wrote them (resolved), moved or left out.
 *
 * @param backends each entry's backend, in order
 * @param entries each entry as HOCON, in order
 */
public record RedirectList(List<String> backends, List<String> entries) {

    /** One line of HOCON, without comments: what round-trips, whatever the values hold. */
    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.defaults().setJson(false).setFormatted(false)
            .setComments(false).setOriginComments(false);

    public RedirectList {
        backends = List.copyOf(backends);
        entries = List.copyOf(entries);
    }

    /** {@code handover.clusters.<cluster>.redirect} of a resolved configuration. */
    public static RedirectList of(Config resolved, String cluster) {
        List<? extends ConfigValue> values = resolved.getList(ConfigUtil.joinPath("handover", "clusters", cluster, "redirect"));
        return new RedirectList(values.stream().map(value -> String.valueOf(value.atKey("x").getString("x.backend"))).toList(),
                values.stream().map(RedirectList::render).toList());
    }

    /** An object rendered as the root leaves out its braces (it would be a file's content): put them back. */
    private static String render(ConfigValue entry) {
        String text = entry.render(HOCON);
        return text.startsWith("{") ? text : "{ " + text + " }";
    }

    /** The list in HOCON, one entry a line: {@code redirect = [ ... ]}. */
    static String render(List<String> entries) {
        return "redirect = [\n" + entries.stream().map(entry -> "  " + entry + "\n").reduce("", String::concat) + "]";
    }
}
