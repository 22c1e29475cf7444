package routes;

import java.util.List;

import hub.saga.Step;
import org.apache.camel.builder.RouteBuilder;

/**
 * The saga's reference participants (inventory, payment, shipment), each its own consumer of
 * {@code <participant>-commands} answering on {@code <participant>-replies}, keyed by order id. Which of
 * them this hub runs is {@code hub.saga.participants}: none where real services answer.
 */
public class ParticipantRoutes extends RouteBuilder {

    @Override
    public void configure() {
        List<String> enabled = List.of(getContext().resolvePropertyPlaceholders("{{hub.saga.participants}}")
                .split("\\s*,\\s*"));
        for (Step step : Step.values()) {
            String participant = step.participant();
            if (!enabled.contains(participant)) {
                continue;
            }
            // offsets are committed after the reply is on Kafka: a crash in between answers again, idempotently
            from("kafka:" + step.commandsTopic() + "?groupId={{hub.saga.participants-group}}-" + participant
                    + "&pollTimeoutMs={{hub.saga.poll-timeout-ms}}")
                    .routeId("participant-" + participant)
                    .routeConfigurationId(ErrorPolicy.ID)
                    .bean(participant + "Participant", "handle")
                    .to("kafka:" + step.repliesTopic());
        }
    }
}
