package io.handover.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code 30s}, {@code 10ms}, {@code 2m}: a duration on the command line, in the units the
 * configuration file uses and under the same rules. A bare number is refused, as in the file:
 * HOCON would read {@code --duration 2} as 2 ms.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    static final Duration MAX = Duration.ofHours(24);

    @Override
    public Duration convert(String value) {
        String text = value.strip();
        if (text.matches("[0-9.]+")) {
            throw new TypeConversionException("'" + value + "' has no unit: write it with one (10ms, 30s, 2m)");
        }
        Duration parsed;
        try {
            // a map, not HOCON text: nothing in the value is parsed as syntax
            parsed = ConfigFactory.parseMap(Map.of("d", text)).getDuration("d");
        } catch (ConfigException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (use a number and a unit: 10ms, 30s, 2m)");
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new TypeConversionException("'" + value + "' must be positive");
        }
        if (parsed.toMillis() < 1) {
            throw new TypeConversionException("'" + value + "' must be at least 1ms");
        }
        if (parsed.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + value + "' must be at most 24h");
        }
        return parsed;
    }
}
