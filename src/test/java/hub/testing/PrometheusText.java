package hub.testing;

import java.util.Arrays;

/** Reading the hub's {@code /observe/metrics} answer, for the in-process hub and the hub run as a process. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of the series {@code name} whose labels contain every {@code labels} fragment; 0 when there is none. */
    static double sum(String exposition, String name, String... labels) {
        return exposition.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
