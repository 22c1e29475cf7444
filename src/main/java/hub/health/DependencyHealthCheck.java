package hub.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of something the hub depends on. It counts for readiness only: while a dependency is down the hub
 * takes no new traffic and its routes retry, but the process is alive and a restart would not bring it back.
 */
abstract class DependencyHealthCheck extends AbstractHealthCheck {

    DependencyHealthCheck(String id) {
        super("hub", id);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
