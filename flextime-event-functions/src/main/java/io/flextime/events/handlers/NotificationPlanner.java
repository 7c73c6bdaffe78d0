package io.flextime.events.handlers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.publish.EventRequest;

/**
 * Decides who must hear about a schedule change: a published schedule notifies its teams; a rescheduled or
 * cancelled game notifies both of its teams. The result is one {@code notification.requested} event.
 */
public class NotificationPlanner {

    public static final Set<String> TYPES = Set.of("schedule.published", "game.rescheduled", "game.cancelled");

    /** The notification to request, or empty when nobody is affected (e.g. a schedule published without teams). */
    public Optional<EventRequest> plan(FlexTimeEvent event) {
        Map<String, Object> data = event.data();
        List<String> recipients = new ArrayList<>();
        String subject;
        String body;
        switch (event.eventType()) {
            case "schedule.published" -> {
                if (data.get("teams") instanceof List<?> teams) {
                    teams.forEach(team -> recipients.add(String.valueOf(team)));
                }
                subject = "Schedule " + data.get("scheduleId") + " published";
                body = "The " + orEmpty(data.get("season")) + " " + orEmpty(data.get("sport")) + " schedule "
                        + data.get("scheduleId") + " is published.";
            }
            case "game.rescheduled" -> {
                addTeams(data, recipients);
                subject = "Game " + data.get("gameId") + " rescheduled";
                body = data.get("homeTeam") + " vs " + data.get("awayTeam") + " moves from " + data.get("previousStartTime")
                        + " to " + data.get("newStartTime") + ".";
            }
            case "game.cancelled" -> {
                addTeams(data, recipients);
                subject = "Game " + data.get("gameId") + " cancelled";
                body = data.get("homeTeam") + " vs " + data.get("awayTeam") + " is cancelled"
                        + (data.get("reason") == null ? "." : ": " + data.get("reason") + ".");
            }
            default -> {
                return Optional.empty();
            }
        }
        if (recipients.isEmpty()) {
            return Optional.empty();
        }
        // Ids derived from the source event: a redelivered source yields the very same notification.
        UUID derivedId = UUID.nameUUIDFromBytes(("notificationPlanner:" + event.eventId()).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("notificationId", "n-" + derivedId);
        notification.put("channel", "email");
        notification.put("recipients", recipients);
        notification.put("subject", subject);
        notification.put("body", body.replace("  ", " ").trim());
        notification.put("relatedEventId", event.eventId());
        notification.put("relatedEventType", event.eventType());
        return Optional.of(EventRequest.of("notification.requested", notification).withEventId(derivedId.toString()));
    }

    private static void addTeams(Map<String, Object> data, List<String> recipients) {
        recipients.add(String.valueOf(data.get("homeTeam")));
        recipients.add(String.valueOf(data.get("awayTeam")));
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }
}
