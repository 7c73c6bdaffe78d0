package io.flextime.streams.monitor.alert;

public enum Severity {
    WARNING, CRITICAL
}
