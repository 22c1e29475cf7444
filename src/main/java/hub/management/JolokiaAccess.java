package hub.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import hub.Secrets;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia (JMX over HTTP, what Hawtio talks to) on the management server only behind HTTP Basic authentication,
 * and off while no user is configured. The user comes from {@code hub.management.username} and
 * {@code hub.management.password} (or a mounted file named by {@code hub.management.password-file}).
 * <p>
 * Camel's own {@code camel.management.authentication-*} options would read users and plain passwords from a Vert.x
 * properties file; this puts the same kind of entry on the management server's authentication configuration, for
 * the Jolokia path only, with the user held in memory and compared in constant time. Health and metrics stay
 * open for probes and Prometheus.
 */
public final class JolokiaAccess extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);
    static final String REALM = "order-hub management";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        ManagementHttpServer server = camel.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled()) {
            return;
        }
        BasicUser user = BasicUser.configured(property(camel, "hub.management.username"),
                property(camel, "hub.management.password"), property(camel, "hub.management.password-file"));
        if (user == null) {
            server.setJolokiaEnabled(false);
            LOG.info("Jolokia is off: set HUB_MANAGEMENT_USERNAME and HUB_MANAGEMENT_PASSWORD"
                    + " (or HUB_MANAGEMENT_PASSWORD_FILE) to serve it at {}", server.getJolokiaPath());
            return;
        }
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        // "/observe/jolokia*": the path itself and everything below it
        entry.setPath(server.getJolokiaPath() + "*");
        entry.setAuthenticationProviderFactory(vertx -> user);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return BasicAuthHandler.create(provider, REALM);
            }
        });
        AuthenticationConfig authentication = server.getConfiguration().getAuthenticationConfig();
        authentication.getEntries().add(entry);
        authentication.setEnabled(true);
        LOG.info("Jolokia at {} on the management port, for user {}", server.getJolokiaPath(), user.name);
    }

    private static String property(CamelContext camel, String key) {
        return camel.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }

    /** The one management user, checked by Vert.x's Basic authentication handler. */
    static final class BasicUser implements AuthenticationProvider {

        private final String name;
        private final byte[] password;

        private BasicUser(String name, String password) {
            this.name = name;
            this.password = password.getBytes(StandardCharsets.UTF_8);
        }

        /** The configured user, or null when there is none; half a configuration is refused. */
        static BasicUser configured(String name, String password, String passwordFile) {
            String secret = Secrets.valueOrFile(password, passwordFile, "management password");
            if (name.isEmpty() && secret.isEmpty()) {
                return null;
            }
            if (name.isEmpty() || secret.isEmpty()) {
                throw new IllegalStateException("Jolokia needs both HUB_MANAGEMENT_USERNAME and HUB_MANAGEMENT_PASSWORD"
                        + " (or HUB_MANAGEMENT_PASSWORD_FILE); only one of them is set");
            }
            return new BasicUser(name, secret);
        }

        @Override
        public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> result) {
            UsernamePasswordCredentials given = new UsernamePasswordCredentials(credentials);
            byte[] givenPassword = given.getPassword() == null ? new byte[0]
                    : given.getPassword().getBytes(StandardCharsets.UTF_8);
            // both compared in constant time, so the answer's timing does not reveal how much of a guess was right
            boolean nameMatches = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                    String.valueOf(given.getUsername()).getBytes(StandardCharsets.UTF_8));
            boolean passwordMatches = MessageDigest.isEqual(password, givenPassword);
            result.handle(nameMatches && passwordMatches ? Future.succeededFuture(User.fromName(name))
                    : Future.failedFuture("invalid credentials"));
        }
    }
}
