package io.handover.mysql;

import io.handover.api.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * One SQL statement with {@code ?} parameters. Values are bound by Connector/J (client-side, so that
 * statements the server cannot prepare, like {@code CHANGE MASTER TO}, work too) and so are always
 * escaped right; {@link #display()} shows the statement with every {@link Secret} as {@code [REDACTED]}.
 *
 * @param text the statement, with a {@code ?} per parameter
 * @param parameters {@code String}, {@code Integer}, {@code Long} or {@code Secret} values
 */
public record Sql(String text, List<Object> parameters) {

    public Sql {
        parameters = List.copyOf(parameters);
    }

    public static Sql of(String text, Object... parameters) {
        return new Sql(text, Arrays.asList(parameters));
    }

    /** The statement as a human reads it in a plan or a log: literals filled in, secrets redacted. */
    public String display() {
        StringBuilder result = new StringBuilder();
        int next = 0;
        for (char c : text.toCharArray()) {
            if (c == '?' && next < parameters.size()) {
                Object value = parameters.get(next++);
                result.append(value instanceof Number ? value.toString() : "'" + value.toString().replace("'", "''") + "'");
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

    public PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text);
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else if (value instanceof Secret secret) {
                statement.setString(i + 1, secret.reveal());
            } else {
                statement.setString(i + 1, (String) value);
            }
        }
        return statement;
    }

    /**
     * Runs a statement that returns no rows. A server error may quote the statement, password
     * included: the error is then rethrown with every secret redacted, and without its cause.
     */
    public void execute(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection)) {
            statement.execute();
        } catch (SQLException e) {
            throw redacted(e);
        }
    }

    private SQLException redacted(SQLException e) {
        String message = String.valueOf(e.getMessage());
        boolean hasSecret = false;
        for (Object parameter : parameters) {
            if (parameter instanceof Secret secret) {
                hasSecret = true;
                message = message.replace(secret.reveal(), Secret.REDACTED);
            }
        }
        return hasSecret ? new SQLException(message, e.getSQLState(), e.getErrorCode()) : e;
    }

    /** Runs a query and returns the first column of its first row; empty for NULL. */
    public String single(Connection connection) throws SQLException {
        try (PreparedStatement statement = prepare(connection); var rs = statement.executeQuery()) {
            rs.next();
            String value = rs.getString(1);
            return value == null ? "" : value;
        }
    }

    @Override
    public String toString() {
        return display();
    }
}
