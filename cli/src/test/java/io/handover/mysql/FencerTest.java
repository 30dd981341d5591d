package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.Deadline;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fence's statements and timeouts, against a scripted connection: what the server is told to wait, and the client. */
class FencerTest {

    @Test
    void theServerGivesUpOnReadOnlyBeforeTheClientStopsListeningAndBothWithinTheDeadline() {
        for (long ms = 2000; ms <= 3_600_000; ms += 137) {
            Fencer.ReadOnlyWait wait = waitWithin(Duration.ofMillis(ms));
            assertThat(wait.lockWaitSeconds()).as("%d ms", ms).isGreaterThanOrEqualTo(1);
            assertThat((long) wait.networkTimeoutMs()).as("%d ms", ms)
                    .isGreaterThanOrEqualTo(wait.lockWaitSeconds() * 1000 + 1000)
                    .isLessThanOrEqualTo(ms);
        }
        assertThat(waitWithin(Duration.ofSeconds(30))).isEqualTo(new Fencer.ReadOnlyWait(29, 30_000));
        assertThat(waitWithin(Duration.ofMillis(5500))).isEqualTo(new Fencer.ReadOnlyWait(4, 5000));
        assertThat(waitWithin(Duration.ofSeconds(2))).isEqualTo(new Fencer.ReadOnlyWait(1, 2000));
        assertThatThrownBy(() -> Fencer.ReadOnlyWait.within(Duration.ofMillis(1999))).isInstanceOf(SQLException.class)
                .hasMessage("not fenced: 1999 ms left of the deadline, and setting read_only safely needs at least 2000 ms"
                        + " (a 1 s lock wait and the time for the server's answer)");
    }

    @Test
    void readOnlyIsSetWithTheServersWaitShorterThanTheClientsAndTheReadTimeoutRestored() throws Exception {
        List<String> events = new ArrayList<>();
        Connection connection = connection(events, null);

        Fencer.Result result = Fencer.fence(connection, Duration.ofMillis(100), Set.of(), Deadline.after(Duration.ofMillis(30_500)));

        assertThat(events).containsSubsequence("SET SESSION lock_wait_timeout = 29", "network timeout 30000",
                "SET GLOBAL read_only = ON", "network timeout 5000");
        assertThat(result.gtidPosition()).isEqualTo("0-1-7");
    }

    @Test
    void theFenceLineNamesTheGtidPositionOrSaysThatNoneWasExecuted() {
        assertThat(new Fencer.Result(12, 3, "0-1-7").describe())
                .isEqualTo("read_only set, waited 12 ms for transactions, killed 3 sessions, gtid 0-1-7");
        // What a server whose binary log holds no GTID yet (fresh, or after RESET MASTER) answers.
        assertThat(new Fencer.Result(12, 3, "").describe())
                .isEqualTo("read_only set, waited 12 ms for transactions, killed 3 sessions, no GTID executed");
    }

    @Test
    void aLockWaitTimeoutSaysNothingWasFencedAndRestoresTheReadTimeout() {
        List<String> events = new ArrayList<>();
        Connection connection = connection(events, new SQLException("Lock wait timeout exceeded", "HY000", 1205));

        assertThatThrownBy(() -> Fencer.fence(connection, Duration.ofMillis(100), Set.of(), Deadline.after(Duration.ofMillis(10_500))))
                .isInstanceOf(SQLException.class)
                .hasMessage("read_only could not be set within 9 s: a running statement holds a lock it needs (the server"
                        + " gave up; nothing was fenced)");
        assertThat(events).endsWith("SET GLOBAL read_only = ON", "network timeout 5000");
    }

    private static Fencer.ReadOnlyWait waitWithin(Duration remaining) {
        try {
            return Fencer.ReadOnlyWait.within(remaining);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A MariaDB connection whose read timeout is 5 s; {@code readOnlyFailure} is what SET GLOBAL read_only throws. */
    private static Connection connection(List<String> events, SQLException readOnlyFailure) {
        int[] networkTimeout = {5000};
        InvocationHandler statement = (proxy, method, args) -> switch (method.getName()) {
            case "execute" -> {
                events.add((String) args[0]);
                if (readOnlyFailure != null && args[0].equals("SET GLOBAL read_only = ON")) {
                    throw readOnlyFailure;
                }
                yield false;
            }
            case "executeQuery" -> {
                String sql = (String) args[0];
                events.add(sql);
                yield resultSet(sql.contains("VERSION()") ? List.of("10.11.6-MariaDB-log")
                        : sql.contains("CONNECTION_ID()") ? List.of("42")
                        : sql.contains("innodb_trx") ? List.of("0")
                        : sql.contains("gtid_binlog_pos") ? List.of("0-1-7")
                        : List.of());
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "createStatement" -> Proxy.newProxyInstance(FencerTest.class.getClassLoader(), new Class<?>[] {Statement.class}, statement);
            case "getNetworkTimeout" -> networkTimeout[0];
            case "setNetworkTimeout" -> {
                networkTimeout[0] = (Integer) args[1];
                events.add("network timeout " + args[1]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Connection) Proxy.newProxyInstance(FencerTest.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    /** One column; each value a row. */
    private static ResultSet resultSet(List<String> rows) {
        int[] row = {-1};
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "next" -> ++row[0] < rows.size();
            case "getString" -> rows.get(row[0]);
            case "getInt" -> Integer.parseInt(rows.get(row[0]));
            case "getLong" -> Long.parseLong(rows.get(row[0]));
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (ResultSet) Proxy.newProxyInstance(FencerTest.class.getClassLoader(), new Class<?>[] {ResultSet.class}, handler);
    }
}
