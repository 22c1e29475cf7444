package hub.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

import hub.Hub;
import hub.dev.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the hub, as the application builds it, against the shared real services: one hub per test class,
 * on its own HTTP and management ports.
 */
@ExtendWith(SharedServices.class)
public abstract class HubTestSupport {

    protected static Main hub;
    protected static int httpPort;
    protected static int managementPort;
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Properties a test class sets for its hub, e.g. {@code @HubProperties("hub.api.key=secret")}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface HubProperties {
        String[] value();
    }

    @BeforeAll
    static void startHub(TestInfo test) {
        Map<String, String> own = new HashMap<>();
        HubProperties properties = test.getTestClass().map(c -> c.getAnnotation(HubProperties.class)).orElse(null);
        if (properties != null) {
            for (String property : properties.value()) {
                own.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
            }
        }
        startHub(own);
    }

    /** Stops this class's hub and starts a new one with {@code extra} properties (e.g. CDC switched on). */
    protected static void restartHub(Map<String, String> extra) {
        stopHub();
        startHub(extra);
    }

    /** Starts this class's hub (after {@link #stopHub()}) with {@code extra} properties. */
    protected static void startHub(Map<String, String> extra) {
        httpPort = Ports.free();
        managementPort = Ports.free();
        Map<String, String> overrides = new HashMap<>(SharedServices.properties());
        overrides.put("camel.server.port", String.valueOf(httpPort));
        overrides.put("camel.management.port", String.valueOf(managementPort));
        // quick retries keep transient-fault tests short; the policy is the same
        overrides.put("hub.errors.transient.maximum-delay-ms", "2000");
        // the lag gauges follow traffic within a second or two
        overrides.put("hub.metrics.lag-interval-seconds", "1");
        // a short step timeout keeps the saga's timeout test short
        overrides.put("hub.saga.step-timeout-ms", "4000");
        // one binlog reader at a time: the CDC tests switch it on for their own hub
        overrides.put("hub.cdc.enabled", "false");
        overrides.putAll(extra);
        hub = Hub.newMain(overrides);
        try {
            hub.start();
        } catch (RuntimeException e) {
            // a start refused half-way has built its pools and clients: release them for the classes after this one
            Main failed = hub;
            hub = null;
            if (failed.getCamelContext() != null) {
                failed.getCamelContext().shutdown();
            }
            throw e;
        }
    }

    @AfterAll
    protected static void stopHub() {
        if (hub != null) {
            hub.stop();
            hub = null;
        }
    }

    protected static CamelContext camel() {
        return hub.getCamelContext();
    }

    protected static String property(String key) {
        return camel().resolvePropertyPlaceholders("{{" + key + "}}");
    }

    /** Polls {@code path} on the management port until it answers {@code status}; fails with the last answer. */
    protected static HttpResponse<String> awaitManagement(String path, int status, Duration within) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            return await().atMost(within).ignoreExceptions().until(() -> {
                HttpResponse<String> r = get(managementPort, path);
                last.set(r);
                return r;
            }, r -> r.statusCode() == status);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(path + " did not answer " + status + " within " + within + "; last answer: "
                    + (last.get() == null ? "none" : last.get().statusCode() + " " + last.get().body()), e);
        }
    }

    /**
     * The sum of the Prometheus series {@code name} the hub serves whose labels contain every {@code labels}
     * fragment (e.g. {@code route="x"}); 0 when there is none.
     */
    protected static double metric(String name, String... labels) throws Exception {
        return PrometheusText.sum(get(managementPort, "/observe/metrics").body(), name, labels);
    }

    protected static HttpResponse<String> get(int port, String path) throws Exception {
        return request("GET", port, path, null);
    }

    /** A call to the hub's REST API (port 8080's stand-in), with extra headers as name, value, ... */
    protected static HttpResponse<String> api(String method, String path, String jsonBody, String... headers)
            throws Exception {
        return request(method, httpPort, path, jsonBody, headers);
    }

    private static HttpResponse<String> request(String method, int port, String path, String jsonBody,
            String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
