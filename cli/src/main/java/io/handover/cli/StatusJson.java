package io.handover.cli;

import io.handover.mysql.HostStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status --format json}: the same facts as the table, for scripts. Every host has the same
 * keys (null where an unreachable host could not say), and every problem a stable code. Bump
 * {@link #SCHEMA_VERSION} when a key changes meaning or goes away; adding a key keeps it.
 */
final class StatusJson {

    /** 1 was the unversioned output with problems as bare strings. */
    static final int SCHEMA_VERSION = 2;

    private StatusJson() {}

    static void print(List<StatusCommand.Report> reports, PrintWriter out) throws Exception {
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (StatusCommand.Report report : reports) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("cluster", report.topology().cluster());
            cluster.put("healthy", report.topology().healthy());
            cluster.put("master", report.topology().master().map(master -> master.host().name()).orElse(null));
            cluster.put("writableMasters", report.topology().hosts().stream().filter(HostStatus::writable).count());
            cluster.put("hosts", report.topology().hosts().stream().map(StatusJson::host).toList());
            cluster.put("redirects", report.redirects());
            cluster.put("problems", report.topology().findings());
            clusters.add(cluster);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schemaVersion", SCHEMA_VERSION);
        document.put("clusters", clusters);
        out.println(JsonOutput.indented(document));
        out.flush();
    }

    private static Map<String, Object> host(HostStatus host) {
        boolean reachable = host.reachable();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", host.host().name());
        json.put("address", host.host().address());
        json.put("port", host.host().port());
        json.put("reachable", reachable);
        json.put("error", host.error());
        json.put("role", host.role());
        json.put("writable", host.writable());
        json.put("flavor", reachable ? host.flavor().displayName() : null);
        json.put("version", reachable ? host.version() : null);
        json.put("serverId", reachable ? host.serverId() : null);
        json.put("readOnly", reachable ? host.readOnly() : null);
        json.put("superReadOnly", host.superReadOnly());
        json.put("gtidPosition", host.gtidPosition());
        json.put("replication", host.replica());
        json.put("errantGtids", host.errantGtids());
        json.put("elapsedMs", host.elapsed().toMillis());
        return json;
    }
}
