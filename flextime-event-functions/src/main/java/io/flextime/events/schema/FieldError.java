package io.flextime.events.schema;

/**
 * One reason an event was refused.
 *
 * @param path the JSON path of the failing field, e.g. {@code $.data.scheduleId}
 * @param message what is wrong with it
 */
public record FieldError(String path, String message) {

    @Override
    public String toString() {
        return this.path + ": " + this.message;
    }
}
