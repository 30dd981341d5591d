package io.handover.toolkit;

import io.handover.api.ConfigReader;
import io.handover.api.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A secret given in the configuration, in a file it names, or in an environment variable, in that
 * order: {@code token}, {@code token-file}, {@code $CONSUL_HTTP_TOKEN}. The file is read at load,
 * so that {@code config check} reports it; only a small regular file is read (a FIFO would hang,
 * {@code /dev/zero} would never end).
 */
public final class Secrets {

    /** Far above any token or password, far below what could hurt. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private Secrets() {}

    /**
     * @param key the key of the secret itself ({@code token})
     * @param fileKey the key of the file that holds it ({@code token-file})
     * @param variable the environment variable read when neither is set, or null for none
     */
    public static Optional<Secret> read(ConfigReader reader, String key, String fileKey, Map<String, String> environment, String variable) {
        Optional<Secret> secret = reader.secret(key);
        Optional<Path> file = reader.file(fileKey);
        if (secret.isPresent() && file.isPresent()) {
            reader.problem(fileKey, "set either " + key + " or " + fileKey + ", not both");
            return secret;
        }
        if (secret.isPresent()) {
            return secret;
        }
        if (file.isPresent()) {
            return readFile(reader, fileKey, file.get());
        }
        return Optional.ofNullable(variable == null ? null : environment.get(variable))
                .map(String::strip).filter(value -> !value.isEmpty()).map(Secret::of);
    }

    /** The stripped content of a small regular file; a problem recorded under {@code fileKey} otherwise. */
    public static Optional<Secret> readFile(ConfigReader reader, String fileKey, Path file) {
        try {
            if (!Files.isRegularFile(file) && Files.exists(file)) {
                // checked before opening: opening a FIFO blocks until someone writes to it
                reader.problem(fileKey, "'" + file + "' is not a regular file");
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // at most one byte more than allowed, even if the file grows between the check and the read
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                reader.problem(fileKey, "'" + file + "' is larger than " + MAX_FILE_BYTES / 1024 + " KiB: not a secret file");
                return Optional.empty();
            }
            String value;
            try {
                value = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().strip();
            } catch (CharacterCodingException e) {
                reader.problem(fileKey, "'" + file + "' is not UTF-8 text");
                return Optional.empty();
            }
            if (value.isEmpty()) {
                reader.problem(fileKey, "'" + file + "' is empty");
                return Optional.empty();
            }
            return Optional.of(Secret.of(value));
        } catch (NoSuchFileException e) {
            reader.problem(fileKey, "cannot read '" + file + "': no such file");
        } catch (AccessDeniedException e) {
            reader.problem(fileKey, "cannot read '" + file + "': permission denied");
        } catch (IOException e) {
            reader.problem(fileKey, "cannot read '" + file + "': " + e.getClass().getSimpleName());
        }
        return Optional.empty();
    }
}
