package hub.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Servers that refuse to run as root (Elasticsearch, PostgreSQL) run as {@code nobody} when the hub is root,
 * from a directory that user can reach and owns.
 */
final class Unprivileged {

    private static final Logger LOG = LoggerFactory.getLogger(Unprivileged.class);
    static final String USER = "nobody";

    private Unprivileged() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command prefix that drops to {@link #USER}, or nothing when the hub is not root. */
    static List<String> commandPrefix() {
        return isRoot() ? List.of("setpriv", "--reuid=" + USER, "--regid=nogroup", "--clear-groups", "--") : List.of();
    }

    /**
     * {@code dir} itself, or, when the hub is root and {@code dir} sits below a directory others cannot pass
     * (a checkout under {@code /root}), a folder of its own under {@code /var/tmp}.
     */
    static Path reachableDir(Path dir, String server) throws IOException {
        if (!isRoot() || reachableByOthers(dir)) {
            return dir;
        }
        Path fallback = Path.of("/var/tmp", "order-hub-" + server + "-"
                + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()));
        Files.createDirectories(fallback, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        LOG.info("{} is not reachable by user {}; {} runs from {}", dir, USER, server, fallback);
        return fallback;
    }

    /** Hands {@code root} and everything below it to {@link #USER} (when the hub is root). */
    static void own(Path root) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Files.setOwner(p, owner);
            }
        }
    }

    /** True when every directory from the root down to {@code dir}'s nearest existing ancestor lets others pass. */
    private static boolean reachableByOthers(Path dir) throws IOException {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        for (; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }
}
