package io.handover.config;

import io.handover.api.ConfigReader;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where {@code handover probe} writes, from a cluster's {@code probe} block.
 *
 * @param database an existing database; the probe creates its table {@code handover_probe} there
 * @param user the account the probe writes as. The probe creates it with INSERT and SELECT on
 *     {@code database} only, so that, like an application's account, read_only stops it
 */
public record ProbeSettings(String database, String user) {

    public static final String DEFAULT_USER = "handover_probe";
    /** Names that need no quoting in MySQL and MariaDB: no backticks, no surprises in a GRANT. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,64}");

    static Optional<ProbeSettings> read(ConfigReader cluster) {
        if (!cluster.has("probe")) {
            cluster.object("probe");
            return Optional.empty();
        }
        ConfigReader reader = cluster.object("probe");
        String database = reader.string("database");
        if (database != null && !IDENTIFIER.matcher(database).matches()) {
            reader.problem("database", "'" + database + "' is not a database name of 1-64 letters, digits and '_'");
        }
        String user = reader.string("user", DEFAULT_USER);
        if (user != null && (!IDENTIFIER.matcher(user).matches() || user.length() > 32)) {
            reader.problem("user", "'" + user + "' is not a user name of 1-32 letters, digits and '_'");
        }
        reader.rejectUnknownKeys();
        return Optional.of(new ProbeSettings(database, user));
    }
}
