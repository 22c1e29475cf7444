package hub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.HubTestSupport;
import org.junit.jupiter.api.Test;

@HubTestSupport.HubProperties("hub.api.key=test-key-1234")
class ApiKeyTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestWithoutTheConfiguredKeyIsRefusedWith401() throws Exception {
        HttpResponse<String> none = api("GET", "/api/jobs/failed", null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("unauthorized", JSON.readTree(none.body()).get("error").asText());
        assertEquals(401, api("GET", "/api/jobs/failed", null, "X-Api-Key", "test-key-123").statusCode());
        assertEquals(401, api("POST", "/api/orders", "{}", "Authorization", "Bearer nope").statusCode());
    }

    @Test
    void aRequestWithTheKeyIsServed() throws Exception {
        assertEquals(200, api("GET", "/api/jobs/failed", null, "X-Api-Key", "test-key-1234").statusCode());
        HttpResponse<String> bearer = api("POST", "/api/orders", "{\"user_id\":1}", "Authorization", "Bearer test-key-1234");
        // past the key check: the command itself is invalid
        assertEquals(400, bearer.statusCode(), bearer.body());
    }
}
