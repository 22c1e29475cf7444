package hub.api;

import org.apache.camel.Exchange;

/**
 * Refuses an API request whose body is larger than any command or event the hub takes, with a JSON 413, before
 * anything parses it. (The HTTP server's own cap, {@code camel.server.max-body-size}, bounds the memory a request takes.)
 */
public class RequestLimit {

    private final int maxBodyBytes;

    public RequestLimit(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public void check(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            throw new ApiException(413, "request body of " + body.length + " bytes; at most " + maxBodyBytes
                    + " are taken");
        }
    }
}
