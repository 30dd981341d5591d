package io.handover.mysql;

/** Which server family a host runs: their replication syntax and GTIDs differ. */
public enum Flavor {
    MYSQL("MySQL"),
    MARIADB("MariaDB");

    private final String displayName;

    Flavor(String displayName) {
        this.displayName = displayName;
    }

    /** From {@code SELECT VERSION()}: {@code 10.11.11-MariaDB-0+deb12u1-log} or {@code 8.4.3}. */
    public static Flavor fromVersion(String version) {
        return version.contains("MariaDB") ? MARIADB : MYSQL;
    }

    public String displayName() {
        return displayName;
    }
}
