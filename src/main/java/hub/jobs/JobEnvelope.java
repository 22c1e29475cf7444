package hub.jobs;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One job from the job queue, whichever producer wrote it.
 *
 * @param id             the job's id (Laravel: its {@code uuid})
 * @param type           what to run (Laravel: the short class name of the command)
 * @param data           the job's arguments as a JSON object (Laravel: the command's properties)
 * @param maxTries       attempts allowed; null means the hub's default (Laravel treats 0 as unlimited)
 * @param backoffSeconds delays before each retry (as in Laravel, the last one repeats); empty means the hub's default
 * @param timeoutSeconds how long one attempt may run; null means the hub's default
 * @param format         {@link #HUB} or {@link #LARAVEL}
 * @param payload        the message exactly as received
 */
public record JobEnvelope(String id, String type, JsonNode data, Integer maxTries, List<Integer> backoffSeconds,
                          Integer timeoutSeconds, String format, String payload) {

    public static final String HUB = "hub";
    public static final String LARAVEL = "laravel";

    public JobEnvelope {
        backoffSeconds = List.copyOf(backoffSeconds);
    }
}
