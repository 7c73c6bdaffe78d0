package io.flextime.streams.monitor;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;

/**
 * Shuts a Lettuce client down within a bound. Lettuce's own {@code shutdown} waits without one, and now and then its
 * future never completes (redis/lettuce#2278): an application's close, or the desktop's, would hang for good. A
 * second shutdown of the same client (Spring Data's, in its factory's {@code destroy()}) then returns at once.
 */
public final class ClientShutdown {

    /** How much longer than its own timeout a shutdown is waited for. */
    static final Duration SLACK = Duration.ofSeconds(5);

    private static final System.Logger LOGGER = System.getLogger(ClientShutdown.class.getName());

    private ClientShutdown() {
    }

    /** @return whether the shutdown finished within {@code timeout} plus {@link #SLACK} */
    public static boolean within(AbstractRedisClient client, Duration quietPeriod, Duration timeout) {
        Duration wait = timeout.plus(SLACK);
        try {
            client.shutdownAsync(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (TimeoutException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Lettuce's client did not finish shutting down within " + wait
                    + " (redis/lettuce#2278); going on without waiting for it");
            return false;
        }
        catch (ExecutionException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Lettuce's client shutdown failed", ex.getCause());
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
