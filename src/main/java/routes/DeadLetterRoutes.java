package routes;

import hub.errors.DeadLetters;
import org.apache.camel.builder.RouteBuilder;

/** Poison and exhausted messages go, unchanged, to the dead-letter topic with the failure in headers. */
public class DeadLetterRoutes extends RouteBuilder {

    public static final String ENDPOINT = "direct:dead-letter";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("dead-letter-to-kafka")
                .bean(DeadLetters.class, "describe")
                .to("kafka:{{hub.dead-letter.topic}}");
    }
}
