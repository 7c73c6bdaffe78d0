package io.flextime.events.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The service's own settings, {@code flextime.*}; application.yml maps the brief's environment variables onto them. */
@ConfigurationProperties("flextime")
public class FlexTimeProperties {

    /** Written into every event's {@code source.service}. */
    private String serviceName = "flextime-event-functions";

    /** {@code source.instance}. */
    private String instance = "local";

    /** {@code source.version}. */
    private String serviceVersion = "0.1.0";

    /** {@code ENABLE_EVENT_STREAMING}: false publishes nothing and binds no consumer (the brief's rollback switch). */
    private boolean streamingEnabled = true;

    /** Check arriving events against the schemas too; an invalid one goes to the dead-letter stream, not to the handler. */
    private boolean validateOnReceive = true;

    /** How long a handler remembers an event id, to give a redelivered event its effect only once. */
    private Duration duplicateWindow = Duration.ofHours(24);

    /** Most entries kept in the audit trail. */
    private int auditMaxEntries = 10_000;

    private final Demo demo = new Demo();

    public String getServiceName() {
        return this.serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public String getInstance() {
        return this.instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    public String getServiceVersion() {
        return this.serviceVersion;
    }

    public void setServiceVersion(String serviceVersion) {
        this.serviceVersion = serviceVersion;
    }

    public boolean isStreamingEnabled() {
        return this.streamingEnabled;
    }

    public void setStreamingEnabled(boolean streamingEnabled) {
        this.streamingEnabled = streamingEnabled;
    }

    public boolean isValidateOnReceive() {
        return this.validateOnReceive;
    }

    public void setValidateOnReceive(boolean validateOnReceive) {
        this.validateOnReceive = validateOnReceive;
    }

    public Duration getDuplicateWindow() {
        return this.duplicateWindow;
    }

    public void setDuplicateWindow(Duration duplicateWindow) {
        this.duplicateWindow = duplicateWindow;
    }

    public int getAuditMaxEntries() {
        return this.auditMaxEntries;
    }

    public void setAuditMaxEntries(int auditMaxEntries) {
        this.auditMaxEntries = auditMaxEntries;
    }

    public Demo getDemo() {
        return this.demo;
    }

    /** The demo traffic generator: off unless asked for. */
    public static class Demo {

        private boolean enabled;

        /** Events per second, roughly. */
        private double ratePerSecond = 5;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getRatePerSecond() {
            return this.ratePerSecond;
        }

        public void setRatePerSecond(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
        }
    }
}
