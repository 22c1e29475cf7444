package routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/** REST DSL settings shared by every API of the hub (served on the platform HTTP server, port 8080). */
public class RestApi extends RouteBuilder {

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .bindingMode(RestBindingMode.off)
                .apiContextPath("/api/openapi.json")
                .apiProperty("api.title", "Order hub")
                .apiProperty("api.version", "1");
    }

    /** The route behind a REST endpoint: {@code direct:<routeId>} calls {@code bean.method} under the API policy. */
    static void handler(RouteBuilder routes, String routeId, String bean, String method) {
        routes.from("direct:" + routeId).routeId(routeId).routeConfigurationId(ApiErrorPolicy.ID).bean(bean, method);
    }
}
