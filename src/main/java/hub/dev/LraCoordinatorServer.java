package hub.dev;

import java.nio.file.Path;
import java.util.Set;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import io.narayana.lra.coordinator.api.Coordinator;
import io.narayana.lra.coordinator.api.CoordinatorContainerFilter;
import io.narayana.lra.coordinator.internal.Implementations;
import io.undertow.Undertow;
import jakarta.ws.rs.core.Application;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;

/**
 * Narayana's LRA coordinator deployed in-process on RESTEasy/Undertow. Its transaction log (the
 * ObjectStore) lives under the data directory, so open sagas survive a restart and are recovered.
 */
final class LraCoordinatorServer implements AutoCloseable {

    private final int port;
    private final Path objectStore;
    private UndertowJaxrsServer server;
    private RecoveryManager recovery;

    LraCoordinatorServer(int port, Path objectStore) {
        this.port = port;
        this.objectStore = objectStore;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void start() {
        // Narayana reads its environment beans from system properties once, on first use.
        System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", objectStore.toString());
        System.setProperty("com.arjuna.ats.arjuna.objectstore.objectStoreDir", objectStore.toString());
        // no recovery listener socket: a second hub or a test run beside this one would collide on it
        System.setProperty("RecoveryEnvironmentBean.recoveryListener", "false");
        System.setProperty("RecoveryEnvironmentBean.periodicRecoveryPeriod",
                System.getProperty("hub.lra.recovery-period-seconds", "10"));
        System.setProperty("RecoveryEnvironmentBean.recoveryBackoffPeriod", "2");

        Implementations.install();
        recovery = RecoveryManager.manager();
        server = new UndertowJaxrsServer()
                .start(Undertow.builder().addHttpListener(port, "127.0.0.1"));
        server.deploy(new CoordinatorApplication(), "/");
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        if (recovery != null) {
            recovery.terminate();
        }
        Implementations.uninstall();
    }

    /** The coordinator's JAX-RS resources; {@code /lra-coordinator} comes from {@link Coordinator}'s path. */
    public static final class CoordinatorApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(Coordinator.class, CoordinatorContainerFilter.class);
        }
    }
}
