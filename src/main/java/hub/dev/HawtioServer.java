package hub.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.regex.Pattern;

import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hawtio console ({@code io.hawt:hawtio-war}, resolved from Maven at run time) in an embedded Jetty inside the
 * hub's JVM: the war's own Jolokia reads the platform MBean server, so Hawtio shows the hub's Camel routes with no
 * connection to set up. A dev tool: it has no login (Hawtio's authentication is off), so it listens on loopback
 * unless told otherwise.
 */
final class HawtioServer implements AutoCloseable {

    static final String PATH = "/hawtio";
    private static final Logger LOG = LoggerFactory.getLogger(HawtioServer.class);

    private final String version;
    private final String host;
    private final int port;
    private final Path dir;
    private Server server;

    HawtioServer(String version, String host, int port, Path dir) {
        this.version = version;
        this.host = host;
        this.port = port;
        this.dir = dir;
    }

    String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + PATH + "/";
    }

    void start() throws Exception {
        Path war = MavenArtifacts.file("io.hawt:hawtio-war:war:" + version);
        // Hawtio reads its settings from system properties; an explicit -D wins
        System.setProperty("hawtio.authenticationEnabled",
                System.getProperty("hawtio.authenticationEnabled", "false"));
        boolean loopback = InetAddress.getByName(host).isLoopbackAddress();
        if (!loopback && !Boolean.getBoolean("hawtio.authenticationEnabled")) {
            LOG.warn("Hawtio listens on {} without a login: whoever reaches it can operate the hub's MBeans", host);
        }
        Files.createDirectories(dir);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(PATH);
        webapp.setWar(war.toString());
        webapp.setTempDirectory(dir.toFile());
        // The war brings its own Jolokia (2.1 in WEB-INF/lib); the hub has another one for the management server
        // (2.4, camel-platform-http-jolokia). Jetty loads the war's classes first, but Jolokia finds its services
        // through META-INF/jolokia/* resources, which the webapp loader also gathers from the parent: a service
        // only 2.4 has (InetAddressSimplifier) then loads from the hub's jars and fails every request with a
        // ClassCastException to the war's Extractor. So the war sees none of the hub's Jolokia.
        webapp.setClassLoader(new WebAppClassLoader(new WithoutJolokia(getClass().getClassLoader()), webapp));

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new SameSiteOnly(webapp, loopback));
        server.start();
        if (webapp.getUnavailableException() != null) {
            throw new IllegalStateException("Hawtio did not deploy", webapp.getUnavailableException());
        }
        LOG.info("Hawtio console: {}", url());
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * Refuses what a web page of another site could send through the developer's browser: the war's Jolokia
     * answers any origin with credentials allowed, so without this a page open in the same browser could read
     * and operate the hub's MBeans. A request that carries an {@code Origin} must come from the console's own
     * origin, and on loopback the {@code Host} must be a loopback name (a rebound DNS name is not).
     */
    static final class SameSiteOnly extends Handler.Wrapper {

        private static final Pattern LOOPBACK_IP = Pattern.compile("127(\\.\\d{1,3}){3}|\\[?::1]?");
        private final boolean loopback;

        SameSiteOnly(Handler handler, boolean loopback) {
            super(handler);
            this.loopback = loopback;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String host = Request.getServerName(request);
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            String own = request.getHttpURI().getScheme() + "://" + request.getHttpURI().getAuthority();
            boolean loopbackHost = "localhost".equalsIgnoreCase(host) || LOOPBACK_IP.matcher(host).matches();
            if ((loopback && !loopbackHost) || (origin != null && !origin.equalsIgnoreCase(own))) {
                Response.writeError(request, response, callback, 403, "the Hawtio console answers only its own pages");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /** The hub's class loader with Jolokia's classes and service resources taken out. */
    static final class WithoutJolokia extends ClassLoader {

        WithoutJolokia(ClassLoader parent) {
            super(parent);
        }

        private static boolean hidden(String name) {
            return name.startsWith("org.jolokia.") || name.startsWith("org/jolokia/")
                    || name.startsWith("META-INF/jolokia/");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (hidden(name)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
