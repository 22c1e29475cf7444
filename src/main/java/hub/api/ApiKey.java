package hub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import hub.Secrets;
import org.apache.camel.Exchange;

/**
 * The REST API's key, when one is configured ({@code HUB_API_KEY}, or a mounted file named by
 * {@code HUB_API_KEY_FILE}): every request must carry it in {@code X-Api-Key} or as
 * {@code Authorization: Bearer <key>}, else 401. With no key configured the API is open.
 */
public class ApiKey {

    public static final String HEADER = "X-Api-Key";

    private final byte[] key;

    public ApiKey(String key, String keyFile) {
        String configured = Secrets.valueOrFile(key, keyFile, "API key");
        this.key = configured.isEmpty() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    public boolean required() {
        return key != null;
    }

    public void check(Exchange exchange) {
        if (key == null) {
            return;
        }
        String given = exchange.getIn().getHeader(HEADER, String.class);
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        }
        // compared in constant time, so the answer's timing does not reveal how much of a guess was right
        if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "a valid API key is required in the " + HEADER + " header");
        }
    }
}
