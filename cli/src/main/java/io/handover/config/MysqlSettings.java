package io.handover.config;

import io.handover.api.Secret;
import java.time.Duration;

/**
 * How handover logs in to a cluster's MySQL servers.
 *
 * @param user the account handover uses for status, fencing and promotion
 * @param password its password; never printed
 * @param connectTimeout TCP connect timeout per server: a dead host must not stall a failover
 * @param readTimeout socket read timeout per statement
 * @param sslMode Connector/J's {@code sslMode}
 */
public record MysqlSettings(String user, Secret password, Duration connectTimeout, Duration readTimeout, String sslMode) {

    /** These settings with both timeouts cut to what is left of {@code deadline}: no login or statement outlasts it. */
    public MysqlSettings within(io.handover.api.Deadline deadline) {
        return new MysqlSettings(user, password, deadline.capped(connectTimeout), deadline.capped(readTimeout), sslMode);
    }
}
