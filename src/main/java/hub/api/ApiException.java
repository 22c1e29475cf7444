package hub.api;

import java.util.Map;

/** A request the API refuses, with the HTTP status to answer and any headers the refusal carries. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> headers;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> headers) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> headers() {
        return headers;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
