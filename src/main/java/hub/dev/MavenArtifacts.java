package hub.dev;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves the servers the dev launcher runs (Kafka broker, Elasticsearch node) from Maven, through the
 * user's local repository, so they never join the hub's own classpath.
 */
final class MavenArtifacts {

    private static final String CENTRAL = System.getProperty("hub.dev.maven-repository",
            "https://repo.maven.apache.org/maven2/");

    private MavenArtifacts() {
    }

    /** The artifact and its runtime dependencies, as files in classpath order. */
    static List<Path> runtimeClasspath(String coordinates) {
        return withSession((system, session, repos) -> {
            CollectRequest collect = new CollectRequest(
                    new Dependency(new DefaultArtifact(coordinates), JavaScopes.RUNTIME), repos);
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            return system.resolveDependencies(session, request).getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact)
                    .map(a -> a.getFile().toPath())
                    .toList();
        });
    }

    /** One artifact file, e.g. {@code group:artifact:zip:version}. */
    static Path file(String coordinates) {
        return withSession((system, session, repos) -> system
                .resolveArtifact(session, new ArtifactRequest(new DefaultArtifact(coordinates), repos, null))
                .getArtifact().getFile().toPath());
    }

    private interface Resolution<T> {
        T run(RepositorySystem system, CloseableSession session, List<RemoteRepository> repos) throws Exception;
    }

    private static <T> T withSession(Resolution<T> resolution) {
        Path localRepo = Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        List<RemoteRepository> repos = List.of(
                new RemoteRepository.Builder("central", "default", CENTRAL).build());
        try (RepositorySystem system = new RepositorySystemSupplier().get();
             CloseableSession session = new SessionBuilderSupplier(system).get()
                     .withLocalRepositoryBaseDirectories(localRepo)
                     .setSystemProperties(System.getProperties())
                     .build()) {
            return resolution.run(system, session, repos);
        } catch (Exception e) {
            throw new IllegalStateException("cannot resolve from Maven: " + e.getMessage(), e);
        }
    }
}
