package io.flextime.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's cost during a round: CPU cores used (process CPU time over wall time), and the highest heap use
 * and resident set size seen by sampling every 20 ms.
 */
final class ResourceSampler implements AutoCloseable {

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resource-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private final long startCpuNanos = processCpuNanos();

    private final long startNanos = System.nanoTime();

    private long peakHeapBytes;

    private long peakRssBytes;

    private double cpuCoresAtClose = -1;

    private ResourceSampler() {
        this.sampler.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sampling a round after a full collection, so that the round's peak heap is its own live data and
     * garbage, not what earlier rounds (or, taking turns, other scenarios) left for the collector, and so that the
     * round does not pay for collecting that.
     */
    static ResourceSampler afterFullCollection() {
        System.gc();
        return new ResourceSampler();
    }

    private synchronized void sample() {
        this.peakHeapBytes = Math.max(this.peakHeapBytes, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        this.peakRssBytes = Math.max(this.peakRssBytes, rssBytes());
    }

    synchronized double cpuCores() {
        if (this.cpuCoresAtClose >= 0) {
            return this.cpuCoresAtClose;
        }
        long wall = System.nanoTime() - this.startNanos;
        return wall <= 0 ? 0 : (double) (processCpuNanos() - this.startCpuNanos) / wall;
    }

    synchronized long peakHeapBytes() {
        return this.peakHeapBytes;
    }

    synchronized long peakRssBytes() {
        return this.peakRssBytes;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {@code VmRSS} from {@code /proc/self/status}; 0 where there is no such file (not Linux). */
    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | NumberFormatException ex) {
            return 0;
        }
        return 0;
    }

    /** Takes a last sample and stops; called when the round ends, before the figures are read. Idempotent. */
    @Override
    public void close() {
        if (!this.sampler.isShutdown()) {
            this.sampler.shutdownNow();
            sample();
            double cores = cpuCores();
            synchronized (this) {
                this.cpuCoresAtClose = cores;
            }
        }
    }
}
