package hub.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.net.Socket;

/** Port checks for the embedded services. */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /** Fails with one line naming the port and the variable that moves it. */
    public static void requireFree(int port, String service, String variable) {
        if (!isFree(port)) {
            throw new PortInUseException("port " + port + " (" + service + ") is already in use; set "
                    + variable + " to another port");
        }
    }

    public static boolean isFree(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return false;
        } catch (IOException listening) {
            // nobody answers on loopback; make sure we can bind on all interfaces too
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago, for tests that run beside a running hub. */
    /** A port free now and not handed out before by this JVM: the OS may offer a just-closed port again. */
    public static synchronized int free() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
    }

    public static final class PortInUseException extends IllegalStateException {
        public PortInUseException(String message) {
            super(message);
        }
    }
}
