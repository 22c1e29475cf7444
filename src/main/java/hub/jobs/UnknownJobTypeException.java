package hub.jobs;

import hub.errors.PoisonMessageException;

/** No handler is registered for the job's type: retrying cannot help. */
public class UnknownJobTypeException extends PoisonMessageException {

    public UnknownJobTypeException(String type) {
        super("unknown job type: " + type);
    }
}
