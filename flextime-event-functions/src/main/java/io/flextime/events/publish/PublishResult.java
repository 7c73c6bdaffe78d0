package io.flextime.events.publish;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.flextime.events.schema.FieldError;

/**
 * The outcome of publishing one event.
 *
 * @param status {@code published}, {@code rejected} (invalid or unknown type; nothing reached Redis),
 * {@code failed} (Redis refused or was unreachable) or {@code streaming-disabled}
 * @param eventId the envelope's id
 * @param eventType the type asked for
 * @param stream the stream it went (or would have gone) to
 * @param recordId the stream entry id Redis assigned, when published
 * @param errors every failing field, when rejected
 * @param message a sentence a person can act on, when not published
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PublishResult(String status, String eventId, String eventType, String stream, String recordId,
        List<FieldError> errors, String message) {

    public static final String PUBLISHED = "published";

    public static final String REJECTED = "rejected";

    public static final String FAILED = "failed";

    public static final String STREAMING_DISABLED = "streaming-disabled";

    public boolean isPublished() {
        return PUBLISHED.equals(this.status);
    }
}
