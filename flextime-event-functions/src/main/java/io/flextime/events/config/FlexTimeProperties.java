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

    /** How long an optimization run's state, and a service instance's last known state, outlive their last event. */
    private Duration stateRetention = Duration.ofDays(7);

    /**
     * How long one batch may take to send. An event not sent when it has run out is failed at once, not sent: with
     * Redis hanging, each send waits its send-timeout, and a large batch would hold its request for hours.
     */
    private Duration batchTimeout = Duration.ofSeconds(30);

    private final Demo demo = new Demo();

    private final Monitoring monitoring = new Monitoring();

    /** {@code EVENT_API_KEY}: the key every {@code /api/**}, {@code /events} and actuator request must carry. Unset: those answer 503. */
    private String apiKey;

    /** Largest request body the API accepts; larger ones get 413. */
    private long maxBodyBytes = 1024 * 1024;

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

    public Duration getStateRetention() {
        return this.stateRetention;
    }

    public void setStateRetention(Duration stateRetention) {
        this.stateRetention = stateRetention;
    }

    public Duration getBatchTimeout() {
        return this.batchTimeout;
    }

    public void setBatchTimeout(Duration batchTimeout) {
        this.batchTimeout = batchTimeout;
    }

    public Demo getDemo() {
        return this.demo;
    }

    public Monitoring getMonitoring() {
        return this.monitoring;
    }

    public String getApiKey() {
        return this.apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public long getMaxBodyBytes() {
        return this.maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The stream monitor: {@code MONITORING_INTERVAL} and the brief's {@code ALERT_*} thresholds. */
    public static class Monitoring {

        /** Milliseconds between monitoring passes. */
        private long interval = 30_000;

        /** {@code ALERT_LAG_THRESHOLD}: undelivered entries above which a group lags. */
        private long lagThreshold = 1000;

        /** {@code ALERT_ERROR_RATE_THRESHOLD}: failed share of deliveries above which processing is failing. */
        private double errorRateThreshold = 0.05;

        /** {@code ALERT_CONSUMER_IDLE_THRESHOLD}: milliseconds a consumer may idle while its group has work. */
        private long consumerIdleThreshold = 300_000;

        /** Points kept per series (an hour at the default interval is 120). */
        private int historyPoints = 720;

        public long getInterval() {
            return this.interval;
        }

        public void setInterval(long interval) {
            this.interval = interval;
        }

        public long getLagThreshold() {
            return this.lagThreshold;
        }

        public void setLagThreshold(long lagThreshold) {
            this.lagThreshold = lagThreshold;
        }

        public double getErrorRateThreshold() {
            return this.errorRateThreshold;
        }

        public void setErrorRateThreshold(double errorRateThreshold) {
            this.errorRateThreshold = errorRateThreshold;
        }

        public long getConsumerIdleThreshold() {
            return this.consumerIdleThreshold;
        }

        public void setConsumerIdleThreshold(long consumerIdleThreshold) {
            this.consumerIdleThreshold = consumerIdleThreshold;
        }

        public int getHistoryPoints() {
            return this.historyPoints;
        }

        public void setHistoryPoints(int historyPoints) {
            this.historyPoints = historyPoints;
        }
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
