package io.flextime.streams.monitor.alert;

/**
 * A rule's finding in one evaluation: its subject is breaching.
 *
 * @param stream the stream key, or {@code null}
 * @param group the group, or {@code null}
 * @param consumer the consumer, or {@code null}
 * @param value what was measured
 * @param threshold what it was measured against
 * @param message what is wrong, for a person
 */
public record Breach(String stream, String group, String consumer, double value, double threshold, String message) {

    String subject(String rule) {
        return rule + "|" + this.stream + "|" + this.group + "|" + this.consumer;
    }
}
