package io.handover.consul;

import io.handover.api.ConfigReader;
import io.handover.api.Secret;
import io.handover.toolkit.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * {@code handover.backends.consul}: how to reach one Consul datacenter, shared by every cluster
 * that uses it. The keys, their defaults and why each exists are in {@code consul-backend.conf}
 * (see {@link ConsulBackendFactory#configHelp()}).
 */
record ConsulConfig(
        List<HttpUrl> addresses,
        List<DnsEndpoint> dns,
        boolean dnsTcp,
        String dnsDomain,
        Optional<String> datacenter,
        Optional<Secret> token,
        Optional<ConsulTls> tls,
        Duration requestTimeout,
        Duration dnsTimeout,
        boolean kvEnabled,
        String kvPrefix,
        LockConfig lock) {

    static final String TOKEN_VARIABLE = "CONSUL_HTTP_TOKEN";
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_-]+");

    ConsulConfig {
        addresses = List.copyOf(addresses);
        dns = List.copyOf(dns);
    }

    static ConsulConfig read(ConfigReader reader, Map<String, String> environment) {
        List<HttpUrl> addresses = addresses(reader);
        List<DnsEndpoint> dns = dnsEndpoints(reader);
        boolean dnsTcp = reader.bool("dns-tcp", false);
        String dnsDomain = matching(reader, "dns-domain", "consul", DOMAIN, "is not a DNS domain such as consul");
        Optional<String> datacenter = Optional.ofNullable(matching(reader, "datacenter", null, DATACENTER,
                "is not a Consul datacenter name (letters, digits, '-' and '_')"));
        Optional<Secret> token = token(reader, environment);
        Optional<ConsulTls> tls = ConsulTls.read(reader.object("tls"));
        if (tls.isPresent() && addresses.stream().noneMatch(HttpUrl::isHttps)) {
            reader.problem("tls", "is set, but no address uses https://");
        }
        Duration requestTimeout = reader.duration("request-timeout", Duration.ofSeconds(2));
        Duration dnsTimeout = reader.duration("dns-timeout", Duration.ofSeconds(1));
        ConfigReader kv = reader.object("kv");
        boolean kvEnabled = kv.bool("enabled", false);
        String kvPrefix = kv.string("prefix", "mysql/master").replaceAll("^/+|/+$", "");
        if (kvPrefix.isEmpty()) {
            kv.problem("prefix", "must name a key path such as mysql/master");
        }
        kv.rejectUnknownKeys();
        LockConfig lock = LockConfig.read(reader.object("lock"));
        reader.rejectUnknownKeys();
        return new ConsulConfig(addresses, dns, dnsTcp, dnsDomain, datacenter, token, tls,
                requestTimeout, dnsTimeout, kvEnabled, kvPrefix, lock);
    }

    private static List<HttpUrl> addresses(ConfigReader reader) {
        List<String> values = reader.stringList("addresses", List.of("http://127.0.0.1:8500"));
        if (values.isEmpty()) {
            reader.problem("addresses", "must list at least one Consul server, such as \"http://127.0.0.1:8500\"");
        }
        List<HttpUrl> result = new ArrayList<>();
        for (String value : values) {
            HttpUrl url = HttpUrl.parse(value);
            if (url == null || !url.encodedPath().equals("/") || url.query() != null) {
                reader.problem("addresses", "'" + value + "' is not a Consul HTTP address such as http://127.0.0.1:8500 or https://consul.example.com:8501");
            } else {
                result.add(url);
            }
        }
        return result;
    }

    private static List<DnsEndpoint> dnsEndpoints(ConfigReader reader) {
        List<DnsEndpoint> result = new ArrayList<>();
        for (String value : reader.stringList("dns", List.of("127.0.0.1:8600"))) {
            DnsEndpoint.parse(value).ifPresentOrElse(result::add,
                    () -> reader.problem("dns", "'" + value + "' is not host:port, such as 127.0.0.1:8600"));
        }
        return result;
    }

    private static String matching(ConfigReader reader, String key, String fallback, Pattern pattern, String complaint) {
        String value = reader.string(key, fallback);
        if (value != null && !pattern.matcher(value).matches()) {
            reader.problem(key, "'" + value + "' " + complaint);
            return fallback;
        }
        return value;
    }

    /** {@code token}, else the file {@code token-file} names, else {@code $CONSUL_HTTP_TOKEN}. */
    private static Optional<Secret> token(ConfigReader reader, Map<String, String> environment) {
        return Secrets.read(reader, "token", "token-file", environment, TOKEN_VARIABLE);
    }
}
