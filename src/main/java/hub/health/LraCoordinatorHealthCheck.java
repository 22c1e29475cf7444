package hub.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/** Readiness: the LRA coordinator that runs the checkout saga answers. */
public class LraCoordinatorHealthCheck extends DependencyHealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI lras;

    public LraCoordinatorHealthCheck(String coordinatorUrl) {
        super("lra-coordinator");
        this.lras = URI.create(coordinatorUrl.replaceAll("/+$", "") + "/lra-coordinator");
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            HttpRequest request = HttpRequest.newBuilder(lras).timeout(Duration.ofSeconds(3)).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                builder.up();
            } else {
                builder.message("LRA coordinator answered HTTP " + status).down();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        } catch (Exception e) {
            builder.message("LRA coordinator unavailable at " + lras + ": " + Checks.reason(e)).down();
        }
    }
}
