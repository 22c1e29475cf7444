package hub.jobs;

import java.util.Arrays;
import java.util.List;

/** Queue names as configured ({@code hub.queue.names}, comma-separated) and where each keeps its failed jobs. */
public final class Queues {

    private Queues() {
    }

    public static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public static String failedTopic(String queue) {
        return queue + ".failed";
    }
}
