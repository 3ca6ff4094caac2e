package io.argus.edge.extract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * The queries of the frame &amp; flow service, over two read-only key-value stores: the index
 * (argus.extracted: index key -&gt; {@link ExtractedItem}, {@link ExtractionIds}) and the requests
 * (argus.extraction-status: request id -&gt; {@link ExtractionStatus}). In production these are the
 * global RocksDB stores of {@link ExtractionIndex}; in tests, the stores of a
 * {@code TopologyTestDriver} or any in-memory store.
 *
 * <p>Cost: items are read with prefix scans ({@link ReadOnlyKeyValueStore#prefixScan}) bounded by
 * the answer size, and {@code stored} is a prefix count over one request's items. Listing requests
 * (history, delete by video, retention) iterates the request store, which holds one small status
 * per request kept (bounded by the retention). The file storage is never listed.
 *
 * <p>Local overlay: the stores follow Kafka, so a request this edge just accepted, or just deleted,
 * shows there only after its records have gone through Kafka (usually milliseconds). So that a client
 * reading right after its own write sees it, {@link #noteSubmitted} makes a WAITING status visible
 * until the store has the request, and {@link #noteDeleted} hides a deleted request (its status and
 * items) on this instance, each for at most the overlay TTL. Other edge instances see the change
 * when Kafka delivers it.
 *
 * <p>Entries whose value cannot be decoded are logged and skipped: a global store restored at
 * start-up holds the topic's raw bytes, so one undecodable record must not break every scan.
 *
 * <p>The suppliers are called on every query; with Kafka Streams they throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the stores are not
 * queryable (restoring, stopped), which propagates to the caller. Thread-safe.
 */
public final class ExtractionCatalog {

    /** Default time a locally noted submission or deletion overrides the stores: 5 minutes. */
    public static final Duration DEFAULT_OVERLAY_TTL = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionCatalog.class);
    /** Most undecodable entries skipped in a row by one scan. */
    private static final int MAX_SKIPS = 10_000;
    private static final StringSerializer KEYS = new StringSerializer();
    /** Newest first; ties by request id, so the order is total and stable. */
    private static final Comparator<ExtractionStatus> NEWEST_FIRST =
            Comparator.comparingLong(ExtractionStatus::getCreatedAt).reversed()
                    .thenComparing(ExtractionStatus::getRequestId);

    private final Supplier<? extends ReadOnlyKeyValueStore<String, ExtractedItem>> items;
    private final Supplier<? extends ReadOnlyKeyValueStore<String, ExtractionStatus>> statuses;
    private final LongSupplier clockMs;
    private final long overlayTtlMs;
    private final Map<String, Noted<ExtractionStatus>> submitted = new ConcurrentHashMap<>();
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();

    private record Noted<T>(T value, long atMs) {
    }

    /**
     * A catalogue with the system clock and {@link #DEFAULT_OVERLAY_TTL}.
     *
     * @param items    the index store (key {@code <kind>/<pattern>/<video>/<request>/<seq>})
     * @param statuses the request store (key request id)
     */
    public ExtractionCatalog(Supplier<? extends ReadOnlyKeyValueStore<String, ExtractedItem>> items,
                             Supplier<? extends ReadOnlyKeyValueStore<String, ExtractionStatus>> statuses) {
        this(items, statuses, System::currentTimeMillis, DEFAULT_OVERLAY_TTL);
    }

    /**
     * @param items      the index store
     * @param statuses   the request store
     * @param clockMs    current time, ms since the epoch (overlay expiry)
     * @param overlayTtl how long a noted submission or deletion overrides the stores at most
     */
    public ExtractionCatalog(Supplier<? extends ReadOnlyKeyValueStore<String, ExtractedItem>> items,
                             Supplier<? extends ReadOnlyKeyValueStore<String, ExtractionStatus>> statuses,
                             LongSupplier clockMs, Duration overlayTtl) {
        this.items = Objects.requireNonNull(items, "items");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.overlayTtlMs = overlayTtl.toMillis();
    }

    /**
     * Stored items of a kind and pattern (GET /frame, GET /flow), in key order (video id, request
     * id, sequence number), skipping requests deleted on this instance.
     *
     * @param kind    frame or flow
     * @param pattern sampling pattern
     * @param videoId only this video's items, or null for every video
     * @param count   most items returned (nothing below 1)
     * @return up to {@code count} items
     */
    public List<ExtractedItem> items(ExtractionKind kind, ExtractionPattern pattern, String videoId, int count) {
        if (count < 1) {
            return List.of();
        }
        String prefix = videoId == null ? ExtractionIds.prefix(kind, pattern)
                : ExtractionIds.prefix(kind, pattern, videoId);
        expireOverlay();
        List<ExtractedItem> out = new ArrayList<>(Math.min(count, 128));
        try (KeyValueIterator<String, ExtractedItem> it = items.get().prefixScan(prefix, KEYS)) {
            scan(it, kv -> {
                if (kv.value != null && !deleted.containsKey(kv.value.getRequestId())) {
                    out.add(kv.value);
                }
                return out.size() < count;
            });
        }
        return out;
    }

    /**
     * @param requestId request id
     * @return the request's latest status: the store's, or the one noted by {@link #noteSubmitted}
     *         while the store does not have it yet; empty when unknown or deleted on this instance
     */
    public Optional<ExtractionStatus> status(String requestId) {
        expireOverlay();
        if (deleted.containsKey(requestId)) {
            return Optional.empty();
        }
        ExtractionStatus s;
        try {
            s = statuses.get().get(requestId);
        } catch (SerializationException e) {
            LOG.warn("Extraction index: undecodable status of {} ignored: {}", requestId, e.getMessage());
            s = null;
        }
        if (s != null) {
            submitted.remove(requestId);
            return Optional.of(s);
        }
        Noted<ExtractionStatus> noted = submitted.get(requestId);
        return noted == null ? Optional.empty() : Optional.of(noted.value());
    }

    /**
     * @param kind      frame or flow
     * @param requestId request id
     * @return the request's summary; empty when unknown, deleted, or of the other kind
     */
    public Optional<ExtractionSummary> summary(ExtractionKind kind, String requestId) {
        return status(requestId).filter(s -> s.getKind() == kind).map(this::summarize);
    }

    /**
     * @param status a request's status
     * @return the request with its stored count and shown state
     */
    public ExtractionSummary summarize(ExtractionStatus status) {
        return ExtractionSummary.of(status, stored(status));
    }

    /**
     * @param status a request's status
     * @return how many of its items the index holds now (prefix count)
     */
    public long stored(ExtractionStatus status) {
        long[] n = {0};
        try (KeyValueIterator<String, ExtractedItem> it =
                     items.get().prefixScan(ExtractionIds.requestPrefix(status), KEYS)) {
            scan(it, kv -> {
                if (kv.value != null) {
                    n[0]++;
                }
                return true;
            });
        }
        return n[0];
    }

    /**
     * @param status a request's status
     * @return the index keys of its items, in key order (what deleting it tombstones)
     */
    public List<String> itemKeys(ExtractionStatus status) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ExtractedItem> it =
                     items.get().prefixScan(ExtractionIds.requestPrefix(status), KEYS)) {
            scan(it, kv -> keys.add(kv.key));
        }
        return keys;
    }

    /**
     * Requests of a kind, newest first (by {@code created_at}, then request id).
     *
     * @param kind    frame or flow
     * @param videoId only this video's requests, or null for every video
     * @return every such request known (store and local overlay)
     */
    public List<ExtractionStatus> requests(ExtractionKind kind, String videoId) {
        return requests(s -> s.getKind() == kind && (videoId == null || videoId.equals(s.getVideoId())));
    }

    /**
     * History (GET /frame/history, GET /flow/history): the newest requests with their summaries.
     *
     * @param kind    frame or flow
     * @param videoId only this video's requests, or null for every video
     * @param count   most requests returned (nothing below 1)
     * @return up to {@code count} summaries, newest first
     */
    public List<ExtractionSummary> history(ExtractionKind kind, String videoId, int count) {
        if (count < 1) {
            return List.of();
        }
        List<ExtractionStatus> all = requests(kind, videoId);
        List<ExtractionSummary> out = new ArrayList<>(Math.min(count, all.size()));
        for (ExtractionStatus s : all.subList(0, Math.min(count, all.size()))) {
            out.add(summarize(s));
        }
        return out;
    }

    /**
     * Requests of every kind whose latest status was written before a time (retention).
     *
     * @param cutoffMs ms since the epoch
     * @return requests with {@code updated_at < cutoffMs}, newest first
     */
    public List<ExtractionStatus> updatedBefore(long cutoffMs) {
        return requests(s -> s.getUpdatedAt() < cutoffMs);
    }

    /**
     * Makes a just-accepted request visible on this instance before its status comes back from Kafka.
     *
     * @param waiting the WAITING status the edge wrote
     */
    public void noteSubmitted(ExtractionStatus waiting) {
        submitted.put(waiting.getRequestId(), new Noted<>(waiting, clockMs.getAsLong()));
    }

    /**
     * Hides a just-deleted request (status and items) on this instance while its tombstones travel.
     *
     * @param requestId request id
     */
    public void noteDeleted(String requestId) {
        submitted.remove(requestId);
        deleted.put(requestId, clockMs.getAsLong());
    }

    private List<ExtractionStatus> requests(Predicate<ExtractionStatus> filter) {
        expireOverlay();
        List<ExtractionStatus> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KeyValueIterator<String, ExtractionStatus> it = statuses.get().all()) {
            scan(it, kv -> {
                if (kv.value != null) {
                    seen.add(kv.key);
                    if (!deleted.containsKey(kv.key) && filter.test(kv.value)) {
                        out.add(kv.value);
                    }
                }
                return true;
            });
        }
        for (Map.Entry<String, Noted<ExtractionStatus>> e : submitted.entrySet()) {
            if (seen.contains(e.getKey())) {
                submitted.remove(e.getKey());
            } else if (!deleted.containsKey(e.getKey()) && filter.test(e.getValue().value())) {
                out.add(e.getValue().value());
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /**
     * Visits the entries of an iterator, skipping those whose value cannot be decoded. A global
     * store restored at start-up holds the topic's raw bytes (the deserialization handler only
     * filters records processed afterwards), so an undecodable record would otherwise break every
     * scan over it. Decoding fails in {@code next()} or, behind Kafka Streams' peeking iterators, in
     * {@code hasNext()}; in both cases the underlying iterator has already moved past the entry, so
     * the scan goes on (at most {@value #MAX_SKIPS} failures in a row, then the error propagates).
     *
     * @param it    the iterator (closed by the caller)
     * @param visit called per decoded entry; returns false to stop
     */
    private static <V> void scan(KeyValueIterator<String, V> it, Predicate<KeyValue<String, V>> visit) {
        int failures = 0;
        while (true) {
            KeyValue<String, V> kv;
            try {
                if (!it.hasNext()) {
                    return;
                }
                kv = it.next();
                failures = 0;
            } catch (SerializationException e) {
                if (++failures > MAX_SKIPS) {
                    throw e;
                }
                LOG.warn("Extraction index: undecodable entry skipped: {}", e.getMessage());
                continue;
            }
            if (!visit.test(kv)) {
                return;
            }
        }
    }

    private void expireOverlay() {
        long cutoff = clockMs.getAsLong() - overlayTtlMs;
        submitted.values().removeIf(n -> n.atMs() < cutoff);
        deleted.values().removeIf(at -> at < cutoff);
    }
}
