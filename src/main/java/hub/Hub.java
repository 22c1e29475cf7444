package hub;

import java.util.Map;

import hub.management.JolokiaAccess;
import org.apache.camel.main.Main;

/** Builds the hub's Camel Main; the application and the tests start it the same way. */
public final class Hub {

    private Hub() {
    }

    /** @param overrides properties that win over application.properties (addresses of embedded services) */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        overrides.forEach(main::addOverrideProperty);
        // bound before Camel creates its own, so route timers get histogram buckets
        main.bind(HubMetrics.REGISTRY, HubMetrics.newRegistry());
        main.addMainListener(new JolokiaAccess());
        return main;
    }
}
