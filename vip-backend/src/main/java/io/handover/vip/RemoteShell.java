package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.SshOverrides;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a shell script on a host with the system's OpenSSH client, the way MHA and the operator reach
 * it, so that their keys, known_hosts and ssh_config apply. Every call ends by its deadline: the ssh
 * process (and anything it started, such as a ProxyCommand) is killed when it passes. Both output
 * streams are read while it runs, so a chatty command cannot block on a full pipe.
 *
 * <p>ssh exits 255 for its own failures. Those before the command could start (no route, refused,
 * timed out) are RETRYABLE; a login or configuration that ssh refuses is PERMANENT; a connection lost
 * later, like a call cut at the deadline, leaves a write AMBIGUOUS. Any other exit status is the
 * script's, handed back with what it printed.
 */
final class RemoteShell {

    /** What ssh exits with when it failed itself, rather than the remote command. */
    static final int SSH_FAILED = 255;

    /**
     * What a read-only call may take beyond ssh's ConnectTimeout: ConnectTimeout covers the TCP
     * connection and the banner only, and a host whose sshd stalls in key exchange (or a dead link
     * under an established session) would otherwise hold the read until the hook's deadline.
     */
    static final Duration READ_GRACE = Duration.ofSeconds(2);

    /** ssh's ConnectTimeout counts whole seconds: a call is not started with less left. */
    static final Duration LEAST_TIME = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RemoteShell.class);
    private static final int MAX_CAPTURE = 64 * 1024;
    private static final Duration DRAIN = Duration.ofMillis(500);
    private static final Pattern NOT_CONNECTED = Pattern.compile("(?i)connect to host|connection refused|no route to host"
            + "|network is unreachable|could not resolve hostname|connection timed out|kex_exchange_identification"
            + "|banner exchange|name or service not known");
    private static final Pattern REFUSED = Pattern.compile("(?i)permission denied|host key verification failed"
            + "|too many authentication failures|bad configuration option|unsupported option|no argument after keyword"
            + "|illegal option|usage: ssh|can't open user config file|keyword .* extra arguments"
            // refused before connecting, nothing ran: ssh -l 'root;id' says "remote username contains invalid characters"
            + "|contains invalid characters|bad port|bad escape character|invalid (?:argument|option)|unknown option");

    /** What a script printed, and its exit status. */
    record Result(int exit, String stdout, String stderr) {

        /** The script's own complaint: its last line on stderr, else its exit status. */
        String complaint() {
            String text = stderr.strip();
            return text.isEmpty() ? "exit status " + exit : text.replaceAll("\\s*\\n\\s*", "; ");
        }
    }

    private final VipConfig config;
    private final SshCommand ssh;
    private final Parallel threads;

    @Inject
    RemoteShell(VipConfig config, SshOverrides overrides, Parallel threads) {
        this.config = config;
        this.ssh = new SshCommand(config, overrides);
        this.threads = threads;
        ssh.mhaConfigFile().ifPresent(file -> config.configFile().ifPresent(ours -> log.debug(
                "MHA's --ssh_options give -F {}: ssh.config-file {} is left out (ssh keeps the last -F, and MHA's settings win)", file, ours)));
    }

    /**
     * Runs {@code script} with {@code sh} on {@code host}, whatever the login's shell is.
     *
     * @param what names the step for messages ({@code removing 198.51.100.50/24})
     * @return the script's output and exit status, whatever that status is
     * @throws BackendException if ssh failed, or no answer came by the deadline
     */
    Result run(Host host, String what, String script, Effect effect, Deadline deadline) throws BackendException {
        // a read is bounded by its own budget: a host that does not answer costs that once and is then unreachable,
        // never the whole deadline; a write keeps the deadline it is given
        Duration budget = config.connectTimeout().plus(READ_GRACE);
        boolean bounded = effect == Effect.READ && deadline.remaining().compareTo(budget) > 0;
        deadline = effect == Effect.READ ? deadline.shorter(budget) : deadline;
        long remainingSeconds = deadline.remaining().toSeconds();
        if (deadline.remaining().compareTo(LEAST_TIME) < 0) {
            // never start what cannot even connect in time: that would turn a plain "unreachable" into "may have been applied"
            throw BackendException.retryable(what + " on " + at(host) + ": only " + deadline.remaining().toMillis()
                    + " ms left, and ssh needs at least 1 s (its ConnectTimeout counts seconds)", null);
        }
        int connectSeconds = (int) Math.min(config.connectSeconds(), remainingSeconds);
        List<String> argv = ssh.argv(host, script, connectSeconds, effect == Effect.READ ? config.connectSeconds() : 0);
        log.debug("{} on {}: {}", what, host.name(), SshCommand.display(argv));
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw BackendException.permanent("cannot run ssh for " + what + " on " + at(host) + ": " + e.getMessage());
        }
        Future<String> stdout = threads.submit(() -> read(process.getInputStream()));
        Future<String> stderr = threads.submit(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                destroy(process);
                if (bounded) {
                    throw BackendException.retryable("cannot reach " + at(host) + " over ssh for " + what + ": it gave no answer in "
                            + millisSince(start) + " ms, the " + budget.toSeconds() + " s a read may take (ssh.connect-timeout "
                            + config.connectSeconds() + " s + " + READ_GRACE.toSeconds() + " s; ssh killed): taken as unreachable", null);
                }
                throw effect.noAnswer(what + " on " + at(host) + " gave no answer in " + millisSince(start)
                        + " ms, by the deadline (ssh killed)", null);
            }
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw effect.noAnswer(what + " on " + at(host) + " was interrupted", e);
        }
        Result result = new Result(process.exitValue(), collect(stdout), collect(stderr));
        log.debug("{} on {}: exit {} in {} ms", what, host.name(), result.exit(), millisSince(start));
        if (result.exit() == SSH_FAILED) {
            throw sshFailure(host, what, effect, result.stderr());
        }
        return result;
    }

    /** The ssh command line: see {@link SshCommand}, whose order makes MHA's settings win over the configuration's. */
    List<String> command(Host host, String script, int connectSeconds) {
        return ssh.argv(host, script, connectSeconds);
    }

    /** {@code db1 (root@198.51.100.11 port 22)}: the host as ssh reaches it, not its MySQL endpoint. */
    String at(Host host) {
        return host.name() + " (" + ssh.target(host) + ")";
    }

    /** {@code text} as one single-quoted shell word. */
    static String quote(String text) {
        return SshCommand.quote(text);
    }

    private BackendException sshFailure(Host host, String what, Effect effect, String stderr) {
        String reason = stderr.strip().isEmpty() ? "ssh exited 255 without a message" : stderr.strip().replaceAll("\\s*\\n\\s*", "; ");
        if (REFUSED.matcher(reason).find()) {
            return BackendException.permanent("ssh to " + at(host) + " for " + what + " refused: " + reason + " (" + ssh.provenance() + ")");
        }
        if (NOT_CONNECTED.matcher(reason).find()) {
            return BackendException.retryable("cannot reach " + at(host) + " over ssh for " + what + ": " + reason, null);
        }
        return effect.noAnswer("ssh to " + at(host) + " failed during " + what + ": " + reason, null);
    }

    /** Kills ssh and whatever it started, so that no stray process outlives the call. */
    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            kept.write(buffer, 0, Math.max(0, Math.min(n, MAX_CAPTURE - kept.size())));
        }
        return kept.toString(StandardCharsets.UTF_8);
    }

    private static String collect(Future<String> output) {
        try {
            return output.get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a descendant that still holds the pipe: what was read so far is lost, the exit status is not
        }
        output.cancel(true);
        return "";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
