package hub.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.HubTestSupport;
import org.junit.jupiter.api.Test;

@HubTestSupport.HubProperties({"hub.management.username=ops", "hub.management.password=jolokia-test-secret"})
class JolokiaAccessTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH_ROUTES = "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}";

    @Test
    void jolokiaRefusesRequestsWithoutTheManagementUser() throws Exception {
        awaitManagement("/observe/health", 200, Duration.ofSeconds(30));

        HttpResponse<String> anonymous = jolokia(null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                anonymous.headers().toString());
        assertEquals(401, jolokia("ops:wrong").statusCode());
        assertEquals(401, jolokia("someone:jolokia-test-secret").statusCode());
        assertEquals(401, get(managementPort, "/observe/jolokia/version").statusCode());
    }

    @Test
    void jolokiaWithTheManagementUserListsTheHubsCamelRoutes() throws Exception {
        HttpResponse<String> response = jolokia("ops:jolokia-test-secret");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(200, answer.get("status").asInt(), answer.toString());
        List<String> mbeans = new ArrayList<>();
        answer.get("value").forEach(name -> mbeans.add(name.asText()));
        for (String route : List.of("events-outbox-relay", "cqrs-outbox-relay", "queue-process-jobs", "saga-checkout")) {
            assertTrue(mbeans.stream().anyMatch(m -> m.contains("name=\"" + route + "\"")), route + " in " + mbeans);
        }
        // the same search as README's curl command, in Jolokia's GET form
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/jolokia/search/org.apache.camel:type=routes,*"))
                .header("Authorization", basic("ops:jolokia-test-secret")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode(), get.body());
        assertTrue(get.body().contains("events-outbox-relay"), get.body());
    }

    @Test
    void theJvmsDiagnosticMBeansAreDeniedEvenToTheManagementUser() throws Exception {
        HttpResponse<String> response = jolokia("ops:jolokia-test-secret",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmVersion\"}");
        assertEquals(403, JSON.readTree(response.body()).get("status").asInt(), response.body());
    }

    @Test
    void healthAndMetricsStayOpenForProbesAndPrometheus() throws Exception {
        awaitManagement("/observe/health", 200, Duration.ofSeconds(30));
        assertEquals(200, get(managementPort, "/observe/health/live").statusCode());
        assertEquals(200, get(managementPort, "/observe/metrics").statusCode());
    }

    @Test
    void withNoUserConfiguredJolokiaIsOffAndHealthStillAnswersAndHalfAUserStopsTheStart() throws Exception {
        restartHub(Map.of());
        try {
            awaitManagement("/observe/health", 200, Duration.ofSeconds(30));
            assertEquals(404, jolokia(null).statusCode());
            assertEquals(404, jolokia("ops:jolokia-test-secret").statusCode());

            stopHub();
            Exception halfConfigured = assertThrows(Exception.class,
                    () -> startHub(Map.of("hub.management.username", "ops")));
            assertTrue(String.valueOf(rootCause(halfConfigured).getMessage()).contains("HUB_MANAGEMENT_PASSWORD"),
                    halfConfigured.toString());
        } finally {
            restartHub(Map.of("hub.management.username", "ops", "hub.management.password", "jolokia-test-secret"));
        }
    }

    @Test
    void halfAConfiguredUserIsRefusedAndAPasswordFileIsRead() throws Exception {
        assertNull(JolokiaAccess.BasicUser.configured("", "", ""));
        assertThrows(IllegalStateException.class, () -> JolokiaAccess.BasicUser.configured("ops", "", ""));
        assertThrows(IllegalStateException.class, () -> JolokiaAccess.BasicUser.configured("", "secret", ""));
        Path file = Files.createTempFile("management-password", "");
        try {
            Files.writeString(file, "from-a-file\n");
            assertNotNull(JolokiaAccess.BasicUser.configured("ops", "", file.toString()));
        } finally {
            Files.delete(file);
        }
    }

    /** A Jolokia search for the Camel routes' MBeans, with {@code user:password} or none. */
    private static HttpResponse<String> jolokia(String credentials) throws Exception {
        return jolokia(credentials, SEARCH_ROUTES);
    }

    private static HttpResponse<String> jolokia(String credentials, String request) throws Exception {
        HttpRequest.Builder http = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/jolokia"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request));
        if (credentials != null) {
            http.header("Authorization", basic(credentials));
        }
        return HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Throwable rootCause(Throwable e) {
        return e.getCause() == null ? e : rootCause(e.getCause());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
