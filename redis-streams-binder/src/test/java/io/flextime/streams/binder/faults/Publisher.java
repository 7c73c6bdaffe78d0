package io.flextime.streams.binder.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;

/** Writes orders straight to a stream with pipelined XADDs, the way another service would, and counts the acknowledged ones. */
final class Publisher {

    private Publisher() {
    }

    static String orderJson(String id, int sequence) {
        return "{\"id\":\"" + id + "\",\"customer\":\"kansas\",\"sequence\":" + sequence + ",\"amountCents\":100}";
    }

    /** @return how many XADDs Redis acknowledged */
    static int publish(String redisUrl, String key, int from, int to) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<RedisFuture<String>> replies = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                replies.add(connection.async().xadd(key, Map.of("payload", orderJson("o-" + i, i),
                        "contentType", "application/json")));
            }
            LettuceFutures.awaitAll(60, TimeUnit.SECONDS, replies.toArray(new RedisFuture[0]));
            return (int) replies.stream().filter(reply -> reply.toCompletableFuture().isDone()
                    && !reply.toCompletableFuture().isCompletedExceptionally()).count();
        }
        finally {
            client.shutdown();
        }
    }
}
