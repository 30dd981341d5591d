package io.handover.vip;

import io.handover.api.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell scripts run on the hosts, one ssh call each: every step that belongs together (stop an
 * old announcer, delete, read back) happens in one round trip of ~0.3 s. Values are validated at
 * load and single-quoted here anyway. Commands and the traps they avoid: docs/VIP.md.
 */
final class VipScripts {

    /** Exit status of a script when a command on the host failed; its stderr says which and why. */
    static final int FAILED = 3;
    /** Exit status of {@link #claim} when duplicate address detection got an answer. */
    static final int DUPLICATE = 4;
    /** DAD sends two probes a second apart and waits for answers until this passes. */
    static final int DAD_SECONDS = 2;

    private VipScripts() {}

    /** Every IPv4 address of the host, one line each; {@link #holdings} reads it. */
    static String addresses() {
        return "LC_ALL=C ip -o -4 addr show";
    }

    /** Marks, in {@link #inspection}'s output, what the host lacks for a claim. */
    static final String NO_INTERFACE = "handover-check: no-interface";
    static final String NO_ARPING = "handover-check: no-arping";

    /**
     * {@link #addresses}, then what a claim on {@code device} will need, in the same call: that the
     * interface exists and that arping is installed. {@link #holdings} reads the addresses; the
     * checks print a line each that fails.
     */
    static String inspection(String device) {
        return addresses() + " || exit $?\n"
                + "ip -o link show dev " + RemoteShell.quote(device) + " >/dev/null 2>&1 || echo '" + NO_INTERFACE + "'\n"
                + "command -v arping >/dev/null 2>&1 || echo '" + NO_ARPING + "'\n";
    }

    /** What {@link #inspection}'s output says the host lacks for a claim on {@code device}: empty if nothing. */
    static List<String> lacking(String output, String device) {
        List<String> lacking = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.strip().equals(NO_INTERFACE)) {
                lacking.add("no interface " + device);
            } else if (line.strip().equals(NO_ARPING)) {
                lacking.add("arping is not installed (Debian: iputils-arping)");
            }
        }
        return lacking;
    }

    /**
     * The interfaces and prefixes under which {@code ip -o -4 addr show} lists the VIP:
     * {@code 2: eth0    inet 198.51.100.50/24 scope global secondary eth0\ ...}.
     */
    static List<Holding> holdings(String ipOutput, VipAddress vip) {
        List<Holding> holdings = new ArrayList<>();
        for (String line : ipOutput.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            for (int i = 2; i + 1 < fields.length; i++) {
                if (fields[i].equals("inet") && fields[i + 1].startsWith(vip.ip() + "/")) {
                    holdings.add(new Holding(fields[1], fields[i + 1]));
                }
            }
        }
        return holdings;
    }

    /** The VIP on one interface of a host, with the prefix it was added with. */
    record Holding(String device, String cidr) {
        @Override
        public String toString() {
            return cidr + " on " + device;
        }
    }

    /**
     * Stops this host's announcer, then deletes the VIP from every interface that has it, whatever its
     * prefix, and reads back that none does. Succeeds if it was not there.
     */
    static String release(VipAddress vip, Host host) {
        return prelude(vip, host) + """
                stop_announcer
                for entry in $(held); do
                  dev=${entry%=*}; cidr=${entry##*=}
                  err=$(ip addr del "$cidr" dev "$dev" 2>&1) || case $err in
                    *"Cannot assign requested address"*|*"Address not found"*) ;;
                    *) echo "ip addr del $cidr dev $dev: $err" >&2; exit 3 ;;
                  esac
                  echo "removed $cidr from $dev"
                done
                left=$(held) || exit 3
                if [ -n "$left" ]; then echo "still holds $left after ip addr del" >&2; exit 3; fi
                """;
    }

    /**
     * Makes {@code host} hold the VIP on {@code device}: duplicate address detection first if asked
     * (a host that holds the VIP does not hear itself, only others), then {@code ip addr add}, then a
     * gratuitous ARP sender in the background whose PID is recorded for {@link #release}.
     */
    static String claim(VipAddress vip, Host host, String device, boolean detectDuplicates, int garpCount) {
        String dad = !detectDuplicates ? "" : """
                out=$(arping -D -c %d -w %d -I "$dev" "$vip" 2>&1); rc=$?
                case $rc in
                  0) ;;
                  1) echo "$out" >&2; exit 4 ;;
                  *) echo "arping -D -I $dev $vip: $out" >&2; exit 3 ;;
                esac
                """.formatted(DAD_SECONDS, DAD_SECONDS);
        return prelude(vip, host) + "dev=" + RemoteShell.quote(device) + "\n" + """
                if ! arping -V 2>&1 | grep -q iputils; then
                  echo "arping here is not iputils' (Debian: iputils-arping), whose -D and -U this needs" >&2; exit 3
                fi
                stop_announcer
                """ + dad + """
                if [ -w /run ]; then
                  pidfile=/run/$pidname
                else
                  mkdir -m 700 "$private" 2>/dev/null
                  if [ -L "$private" ] || [ ! -d "$private" ] || [ ! -O "$private" ]; then
                    echo "cannot record the gratuitous ARP sender: /run is not writable for login $(id -un), and $private is not a directory of its own (remove it, or log in as root)" >&2; exit 3
                  fi
                  pidfile=$private/$pidname
                fi
                if ! { true >"$pidfile"; } 2>/dev/null; then
                  echo "cannot record the gratuitous ARP sender: $pidfile cannot be written by login $(id -un)" >&2; exit 3
                fi
                err=$(ip addr add "$vip/$prefix" dev "$dev" 2>&1) || case $err in
                  *"File exists"*|*"Address already assigned"*) ;;
                  *) echo "ip addr add $vip/$prefix dev $dev: $err" >&2; exit 3 ;;
                esac
                nohup arping -U -c %d -I "$dev" "$vip" </dev/null >/dev/null 2>&1 &
                pid=$!
                if ! { echo "$pid" >"$pidfile"; } 2>/dev/null; then
                  kill "$pid" 2>/dev/null
                  echo "cannot record the gratuitous ARP sender in $pidfile: stopped it, unrecorded it would outlive a release" >&2; exit 3
                fi
                echo "announcing from pid $pid, recorded in $pidfile"
                """.formatted(garpCount);
    }

    /**
     * The name of the file where a host records its gratuitous ARP sender. Named after the host's
     * address too: hosts that share a directory (network namespaces on one machine) must not take
     * each other's record.
     */
    static String pidName(VipAddress vip, Host host) {
        return "handover-vip-" + vip.ip() + "@" + host.address().replaceAll("[^A-Za-z0-9._-]", "_") + ".pid";
    }

    /**
     * Where a login that can write /run (root) records the sender. Another login, such as one with
     * CAP_NET_ADMIN and CAP_NET_RAW only, cannot write /run: it records it as
     * {@code ${TMPDIR:-/tmp}/handover-vip-<uid>/<pidName>}, in a directory it creates with mode 700,
     * which must be its own and no symlink, or the claim fails before it adds the VIP. Not
     * $XDG_RUNTIME_DIR: it is removed when the login's last session ends, which is at the end of each
     * ssh call. See docs/VIP.md.
     */
    static String pidFile(VipAddress vip, Host host) {
        return "/run/" + pidName(vip, host);
    }

    /**
     * Variables and two functions. {@code held} prints {@code device=cidr} for each holding.
     * {@code stop_announcer} kills the recorded sender only if that PID is still an
     * {@code arping -U} for this VIP in this host's network namespace: a PID can be reused.
     */
    private static String prelude(VipAddress vip, Host host) {
        return "LC_ALL=C; export LC_ALL; set -f\n"
                + "vip=" + RemoteShell.quote(vip.ip()) + "; prefix=" + vip.prefix() + "; pidname=" + RemoteShell.quote(pidName(vip, host)) + "\n"
                + """
                private=${TMPDIR:-/tmp}/handover-vip-$(id -u)
                held() {
                  list=$(ip -o -4 addr show 2>&1) || { echo "ip -o -4 addr show: $list" >&2; return 1; }
                  printf '%s\\n' "$list" | awk -v vip="$vip/" '{ for (i = 3; i < NF; i++) if ($i == "inet" && index($(i + 1), vip) == 1) print $2 "=" $(i + 1) }'
                }
                stop_announcer() {
                  for recorded in "/run/$pidname" "$private/$pidname"; do
                    [ -f "$recorded" ] || continue
                    if [ "$recorded" != "/run/$pidname" ] && { [ -L "$private" ] || [ ! -O "$private" ]; }; then continue; fi
                    pid=$(cat "$recorded")
                    case $pid in
                      ''|*[!0-9]*) ;;
                      *) if [ "$(readlink /proc/$pid/ns/net 2>/dev/null)" = "$(readlink /proc/self/ns/net)" ]; then
                           case $(tr '\\000' ' ' </proc/$pid/cmdline 2>/dev/null) in
                             "arping -U "*" $vip ") kill "$pid" 2>/dev/null ;;
                           esac
                         fi ;;
                    esac
                    rm -f "$recorded" 2>/dev/null
                  done
                }
                """;
    }
}
