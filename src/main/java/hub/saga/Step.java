package hub.saga;

import java.util.Locale;

/**
 * The checkout's steps in order, each a participant reached over {@code <participant>-commands} and
 * answering on {@code <participant>-replies}: the action that does the step and the one that undoes it.
 */
public enum Step {
    INVENTORY("reserve", "release", "commit", "reserve-inventory", "release-inventory"),
    PAYMENT("charge", "refund", null, "process-payment", "refund-payment"),
    SHIPMENT("ship", "cancel", null, "create-shipment", "cancel-shipment");

    private final String action;
    private final String compensation;
    private final String completion;
    private final String stepName;
    private final String compensationName;

    Step(String action, String compensation, String completion, String stepName, String compensationName) {
        this.action = action;
        this.compensation = compensation;
        this.completion = completion;
        this.stepName = stepName;
        this.compensationName = compensationName;
    }

    /** Route id of the step: {@code saga-step-reserve-inventory}, ... */
    public String stepRoute() {
        return "saga-step-" + stepName;
    }

    /** Route id of its compensation: {@code saga-compensate-release-inventory}, ... */
    public String compensationRoute() {
        return "saga-compensate-" + compensationName;
    }

    /** Route id of its completion, when it has one: {@code saga-complete-commit-inventory}. */
    public String completionRoute() {
        return "saga-complete-" + completion + "-" + participant();
    }

    /** The participant's name: {@code inventory}, {@code payment}, {@code shipment}. */
    public String participant() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String action() {
        return action;
    }

    public String compensation() {
        return compensation;
    }

    /** What the participant does once the whole saga completed (the reservation becomes a sale), or null. */
    public String completion() {
        return completion;
    }

    public String commandsTopic() {
        return participant() + "-commands";
    }

    public String repliesTopic() {
        return participant() + "-replies";
    }

    public static Step of(String participant) {
        return valueOf(participant.toUpperCase(Locale.ROOT));
    }
}
