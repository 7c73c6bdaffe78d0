package io.flextime.streams.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * Which streams exist under a prefix: <code>SCAN MATCH ... TYPE stream</code> on every master (never
 * {@code KEYS}), remembered between passes. {@code SCAN} walks the whole keyspace, so on a Redis that holds
 * millions of other keys one walk takes thousands of round trips. The first walk is done in full, so the first
 * snapshot is complete; after it each pass continues the current walk by at most {@link #PAGES_PER_PASS} pages
 * per node and uses the streams known so far, and the next walk starts with the next pass once one is done.
 * Where the keyspace fits in one page (most deployments) every pass is a complete walk of one round trip, as
 * before; on a large one a pass costs a bounded number of round trips, and a new stream shows up within two
 * walks (one, if the walk under way has not passed its place yet). A stream stays known until Redis says it is
 * gone ({@link #gone}) or two complete walks in a row have not found it: one walk that misses a key (a Sentinel
 * failover moves the cursor to a server with another hash table) hides nothing, and deleted streams never pile
 * up, even when the passes that would have found them gone fail. A cluster master that goes away starts the
 * walk over (its cursor means nothing elsewhere); one that appears joins the walk under way. Thread-safe: the
 * background pass and on-demand snapshots share one walk.
 */
final class StreamDiscovery {

    /** Pages of a walk per node and pass, once the first walk is done; a page covers {@link #PAGE} keys. */
    static final int PAGES_PER_PASS = 10;

    private static final int PAGE = 1000;

    /** The scan target's name when there is one server (standalone, or Sentinel's master). */
    private static final String ONE_SERVER = "";

    private final RedisClusterAsyncCommands<String, String> redis;

    private final String prefix;

    /** Waits for one round trip's replies; throws when they do not come. */
    private final Consumer<List<RedisFuture<?>>> awaitAll;

    /** The streams the walk before the last complete one found, less those Redis said were gone. */
    private Set<String> foundBefore = new TreeSet<>();

    /** The streams the last complete walk found, less those Redis said were gone. */
    private Set<String> foundLast = new TreeSet<>();

    /** The streams the walk under way has found so far. */
    private Set<String> found = new TreeSet<>();

    /** The scans of the walk under way that have not finished, one per node; {@code null} between walks. */
    private List<Scan> walk;

    /** The nodes the walk under way covers ({@link #ONE_SERVER} for the one server). */
    private Set<String> walkNodes;

    private boolean walkedOnce;

    StreamDiscovery(RedisClusterAsyncCommands<String, String> redis, String prefix,
            Consumer<List<RedisFuture<?>>> awaitAll) {
        this.redis = redis;
        this.prefix = prefix;
        this.awaitAll = awaitAll;
    }

    /**
     * The stream keys known after advancing the walk, sorted. The scans of all nodes advance together, one
     * pipelined page each per round trip.
     * @param roundTrips incremented once per round trip
     * @throws MonitorException when Redis refuses the scan (the walk starts over at the next pass)
     */
    synchronized List<String> keys(int[] roundTrips) {
        Map<String, RedisClusterAsyncCommands<String, String>> targets = scanTargets();
        if (this.walk == null || !targets.keySet().containsAll(this.walkNodes)) {
            this.walk = new ArrayList<>();
            this.walkNodes = new TreeSet<>();
            // A restarted walk counts as a walk of its own: what an aborted one found is known from it no longer.
            this.found = new TreeSet<>();
        }
        for (String node : targets.keySet()) {
            if (this.walkNodes.add(node)) {
                this.walk.add(new Scan(node));
            }
        }
        try {
            for (int pages = 0; !this.walk.isEmpty() && (!this.walkedOnce || pages < PAGES_PER_PASS); pages++) {
                advance(targets);
                roundTrips[0]++;
            }
        }
        catch (RuntimeException ex) {
            this.walk = null;
            throw ex;
        }
        if (this.walk.isEmpty()) {
            this.walk = null;
            this.walkedOnce = true;
            this.foundBefore = this.foundLast;
            this.foundLast = this.found;
            this.found = new TreeSet<>();
        }
        Set<String> known = new TreeSet<>(this.foundBefore);
        known.addAll(this.foundLast);
        known.addAll(this.found);
        return new ArrayList<>(known);
    }

    /**
     * A key that Redis says is not a stream any more (no such key, or another type): forgotten until a walk finds
     * it again. Other failures to read it (a timeout, a missing permission, a server still loading) are no reason.
     */
    synchronized void gone(String key) {
        this.foundBefore.remove(key);
        this.foundLast.remove(key);
        this.found.remove(key);
    }

    private void advance(Map<String, RedisClusterAsyncCommands<String, String>> targets) {
        List<RedisFuture<KeyScanCursor<String>>> pages = this.walk.stream().map(scan -> scan.next(targets)).toList();
        this.awaitAll.accept(new ArrayList<>(pages));
        for (int i = 0; i < pages.size(); i++) {
            KeyScanCursor<String> page = SnapshotCollector.valueOrNull(pages.get(i));
            if (page == null) {
                throw new MonitorException("Redis refused the stream discovery: " + pages.get(i).getError(), null);
            }
            page.getKeys().stream().filter(key -> SlotKeys.isUnder(this.prefix, key)).forEach(this.found::add);
            this.walk.get(i).cursor = page;
        }
        this.walk.removeIf(scan -> scan.cursor.isFinished());
    }

    /**
     * The nodes to {@code SCAN}: the one server, or on a cluster each master that serves slots. Lettuce's own
     * cluster-wide {@code SCAN} also visits a failed master that a failover has replaced (it keeps the master
     * flag but no slots), and so fails until the dead node is forgotten. A master that still serves slots is
     * scanned even when marked failing: if it cannot answer, the pass fails, rather than its streams silently
     * dropping out of the snapshot.
     */
    private Map<String, RedisClusterAsyncCommands<String, String>> scanTargets() {
        Map<String, RedisClusterAsyncCommands<String, String>> targets = new TreeMap<>();
        if (!(this.redis instanceof RedisAdvancedClusterAsyncCommands<String, String> cluster)) {
            targets.put(ONE_SERVER, this.redis);
            return targets;
        }
        // Looked up on every pass, never kept: the connection behind the commands may be replaced meanwhile.
        StatefulRedisClusterConnection<String, String> connection = cluster.getStatefulConnection();
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                targets.put(node.getNodeId(), connection.getConnection(node.getNodeId()).async());
            }
        }
        return targets;
    }

    /** One node's {@code SCAN}, and how far it got. */
    private final class Scan {

        private final String node;

        private final KeyScanArgs match = new KeyScanArgs();

        private ScanCursor cursor = ScanCursor.INITIAL;

        Scan(String node) {
            this.node = node;
            this.match.match(SlotKeys.scanPattern(StreamDiscovery.this.prefix));
            this.match.limit(PAGE);
            this.match.type("stream");
        }

        RedisFuture<KeyScanCursor<String>> next(Map<String, RedisClusterAsyncCommands<String, String>> targets) {
            return targets.get(this.node).scan(this.cursor, this.match);
        }
    }
}
