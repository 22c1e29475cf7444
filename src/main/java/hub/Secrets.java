package hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret given in the environment or in a mounted file (a Docker or Kubernetes secret). */
public final class Secrets {

    private Secrets() {
    }

    /**
     * {@code value} when set, else the content of {@code file} when one is named, else empty; trimmed either way.
     * An unreadable file is an error naming {@code what}.
     */
    public static String valueOrFile(String value, String file, String what) {
        String given = value == null ? "" : value.trim();
        if (!given.isEmpty() || file == null || file.isBlank()) {
            return given;
        }
        try {
            return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
        }
    }
}
