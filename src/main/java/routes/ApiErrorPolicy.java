package routes;

import hub.api.ApiErrors;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The REST API's one policy: the API key (when one is configured) and the body's size are checked first, and
 * every failure becomes a JSON answer, 4xx for the client's mistakes.
 */
public class ApiErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .interceptFrom()
                    .bean("apiKey", "check")
                    .bean("requestLimit", "check")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(ApiErrors::respond)
                .end();
    }
}
