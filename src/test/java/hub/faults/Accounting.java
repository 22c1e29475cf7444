package hub.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;

/**
 * What a fault case sent and what it found afterwards: every input's effect is found exactly once, or the
 * numbers say how many were lost and how many doubled. {@code note} carries what is measured but not an
 * effect (duplicate records on a topic, handler re-runs).
 */
record Accounting(String fault, String strategy, String inputs, long sent, String effect, long once, long lost,
        long doubled, String note) {

    boolean exact() {
        return lost == 0 && doubled == 0 && once == sent;
    }

    String line() {
        return "fault " + fault + " " + strategy + ": sent " + sent + " " + inputs + ", found " + once + " " + effect
                + " once (" + lost + " lost, " + doubled + " doubled)" + (note.isEmpty() ? "" : "; " + note);
    }

    /** Asks {@code count} once a second until the accounting is exact or {@code within} has passed; the last answer. */
    static Accounting settle(Callable<Accounting> count, Duration within) throws Exception {
        AtomicReference<Accounting> last = new AtomicReference<>();
        try {
            await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last.set(count.call());
                return last.get().exact();
            });
        } catch (ConditionTimeoutException e) {
            // the caller prints and asserts the last count
        }
        return last.get();
    }
}
