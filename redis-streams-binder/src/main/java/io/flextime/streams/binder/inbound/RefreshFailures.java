package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;

/**
 * Says when the ownership refresh of a reader's entries in hand starts failing, once per failing streak, and when
 * it works again. A refresh missed for longer than {@code claim-min-idle} lets another consumer claim an entry still
 * being handled and handle it a second time, so this is worth a warning; every failed refresh would be a flood
 * during an outage, which the readers report already.
 */
final class RefreshFailures {

    private final Set<ReaderIdentity> failing = ConcurrentHashMap.newKeySet();

    private final Duration claimMinIdle;

    private final Log logger;

    RefreshFailures(Duration claimMinIdle, Log logger) {
        this.claimMinIdle = claimMinIdle;
        this.logger = logger;
    }

    void failed(ReaderIdentity reader, RuntimeException ex) {
        if (this.failing.add(reader)) {
            this.logger.warn("Could not refresh ownership of the entries in hand for " + reader + ": " + ex.getMessage()
                    + ". If it stays so for longer than claim-min-idle (" + this.claimMinIdle + "), another consumer "
                    + "may claim them and handle them a second time");
        }
        else {
            this.logger.debug("Ownership refresh still failing for " + reader + ": " + ex.getMessage());
        }
    }

    void succeeded(ReaderIdentity reader) {
        if (this.failing.remove(reader)) {
            this.logger.info("Ownership refresh works again for " + reader);
        }
    }
}
