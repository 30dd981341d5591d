package io.handover.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets given on the command line out of what handover prints. MHA passes
 * {@code --orig_master_password=...} and {@code --new_master_password=...} to the hooks and
 * copies whatever they print into its log; a usage error (picocli quotes the arguments it could
 * not match) must not put them there.
 *
 * <p>Two nets: every {@code name=value} whose name looks secret loses its value, and every value
 * given to such an option on this command line is replaced wherever it appears (a mistyped
 * option, a password given as another option's value).
 */
final class Redactor {

    static final String REDACTED = "[REDACTED]";
    static final Redactor NONE = new Redactor(List.of());

    private static final String SECRET_WORD = "(?:password|passwd|token|secret)";
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i)-{1,2}[\\w.-]*" + SECRET_WORD + "[\\w.-]*");
    private static final Pattern INLINE = Pattern.compile("(?i)([\\w.-]*" + SECRET_WORD + "[\\w.-]*=)([^\\s',\"]+)");
    /** Shorter values are replaced only as whole words: a password "x" must not turn every x into [REDACTED]. */
    private static final int SUBSTRING_MIN = 4;

    private final List<String> values;

    private Redactor(List<String> values) {
        this.values = values;
    }

    /** A redactor for the secrets in {@code args}: the values of options whose names contain password, token or secret. */
    static Redactor of(String[] args) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!SECRET_OPTION.matcher(name).matches()) {
                continue;
            }
            String value = equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.length ? args[i + 1] : null;
            if (value != null && !value.isEmpty()) {
                values.add(value);
            }
        }
        // longest first: a value that contains another is replaced whole
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(values));
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = INLINE.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        for (String value : values) {
            if (value.length() >= SUBSTRING_MIN) {
                result = result.replace(value, REDACTED);
            } else {
                result = result.replaceAll("(?<![\\w.-])" + Pattern.quote(value) + "(?![\\w.-])", Matcher.quoteReplacement(REDACTED));
            }
        }
        return result;
    }
}
