package io.argus.edge.hooks;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.ConsumerLag;
import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Delivers the hook calls of {@link Topics#hooks()} (written by the aggregator) to their URLs:
 * CALLBACK /v1/video/segment, /op-result and /result of {@code argus-video-api.md}.
 *
 * <p>One thread runs a {@code KafkaConsumer} in group {@value #GROUP_ID} (read_committed, manual
 * commits, cooperative-sticky assignment) and hands each call to a {@link HookDeliverer}: calls of
 * one job one at a time in offset order, different jobs concurrently, retries with backoff on a
 * scheduler, calls that give up to {@link Topics#hooksDlq()} ({@link KafkaDeadLetterSink}) with
 * {@code attempts} and {@code last_error}, after which they count as done. Bodies, headers and
 * signatures: {@link HookBodies}, {@link HookClient}, {@link HookSignature}.
 *
 * <p>The poll loop never waits for a delivery: it polls at least every 100 ms. When
 * {@link HookSettings#maxInFlight()} calls are in flight, or when a partition's commit metadata
 * could outgrow its limit, it seeks the partition back to the first record not taken and pauses it;
 * it resumes it once enough calls are done.
 *
 * <p>Commits, no duplicates across restarts and rebalances ({@link HookOffsets}): after progress
 * (at most every 200 ms) it commits synchronously, per partition, the lowest offset whose call is
 * not done, and lists in the commit's metadata ({@link CommitMetadataCodec}) the calls already done
 * beyond it. On assignment it reads the committed metadata and skips those calls. On revocation it
 * abandons the partition's queued calls and pending retries, waits up to the attempt timeout (+1 s)
 * for running attempts, and commits. A call is delivered again only if it was not done (a retry,
 * not a duplicate) or if its answer was lost, which the {@code Idempotency-Key} lets receivers
 * detect.
 *
 * <p>{@link #close()}: stops polling, abandons pending retries, lets running attempts finish (up to
 * the attempt timeout), commits what is done, closes the consumer and the dead-letter producer.
 *
 * <p>Metrics ({@link #bindTo}, before {@link #start()}): {@value ArgusMeters#HOOK_ATTEMPTS}
 * (result ok or failed), {@value ArgusMeters#HOOK_CALLS} (outcome delivered or dead_letter) and
 * {@value ArgusMeters#CONSUMER_LAG} of group {@value #GROUP_ID}.
 */
public final class HookDispatcher implements AutoCloseable, MeterBinder {

    /** Consumer group of the dispatchers. */
    public static final String GROUP_ID = "argus-hooks";

    private static final Logger LOG = LoggerFactory.getLogger(HookDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long COMMIT_EVERY_NS = Duration.ofMillis(200).toNanos();
    private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(30);
    private static final long BACKOFF_MS = 1000;

    /** A call reported done by the deliverer, to be applied on the poll thread. */
    private record Done(TopicPartition partition, long offset, int epoch, HookDeliverer.Outcome outcome) {
    }

    private final String topic;
    private final HookSettings settings;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final DeadLetterSink deadLetters;
    private final Deserializer<HookCall> reader;
    private final HookDeliverer deliverer;
    private final HookOffsets offsets = new HookOffsets();
    private final ConcurrentLinkedQueue<Done> completions = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> pausedByUs = new HashSet<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong attemptsOk = new AtomicLong();
    private final AtomicLong attemptsFailed = new AtomicLong();
    private volatile ConsumerLag lag;
    private final Thread thread;
    private volatile boolean running = true;
    private Consumer<String, byte[]> consumer;
    private long lastCommitNs;

    /**
     * A dispatcher on Kafka. Nothing contacts Kafka before {@link #start()}.
     *
     * @param topics   topic registry (hooks and hooks-dlq topics and their serdes)
     * @param kafka    Kafka connection settings
     * @param settings delivery settings (secret, timeouts, retries, concurrency)
     */
    public HookDispatcher(Topics topics, KafkaSettings kafka, HookSettings settings) {
        this(topics, kafka, settings, UrlGuard.allowAll());
    }

    /**
     * A dispatcher on Kafka whose deliveries check hook URLs and their redirects with a guard
     * ({@link HookClient}). Nothing contacts Kafka before {@link #start()}.
     *
     * @param topics   topic registry (hooks and hooks-dlq topics and their serdes)
     * @param kafka    Kafka connection settings
     * @param settings delivery settings (secret, timeouts, retries, concurrency)
     * @param guard    which addresses hook URLs may have; a refused one is dead-lettered
     */
    public HookDispatcher(Topics topics, KafkaSettings kafka, HookSettings settings, UrlGuard guard) {
        this(topics, settings, consumerFactory(kafka, settings, clientId()), new HookClient(settings, guard),
                new KafkaDeadLetterSink(topics, kafka, "argus-api-edge-hooks-dlq"));
    }

    /**
     * A dispatcher with its collaborators given (tests: a {@code MockConsumer}, a fake transport).
     *
     * @param topics      topic registry (name and serde of the hooks topic)
     * @param settings    delivery settings
     * @param consumers   makes the consumer, called once by {@link #start()}; it must use group
     *                    {@value #GROUP_ID}, manual commits and read_committed
     * @param transport   makes attempts
     * @param deadLetters where calls that give up go; closed by {@link #close()}
     */
    HookDispatcher(Topics topics, HookSettings settings, Supplier<Consumer<String, byte[]>> consumers,
                   HookTransport transport, DeadLetterSink deadLetters) {
        this.topic = topics.hooks().name();
        this.settings = settings;
        this.consumers = consumers;
        this.deadLetters = deadLetters;
        this.reader = topics.hooks().valueSerde().deserializer();
        HookTransport counted = (call, body, n) -> {
            AttemptResult r = transport.attempt(call, body, n);
            (r.verdict() == AttemptResult.Verdict.DELIVERED ? attemptsOk : attemptsFailed).incrementAndGet();
            return r;
        };
        this.deliverer = new HookDeliverer(settings, counted, deadLetters,
                (t, outcome, attempts, lastError) -> completions.add(new Done(t.partition(), t.offset(), t.epoch(), outcome)));
        this.thread = new Thread(this::run, "argus-edge-hooks");
        this.thread.setDaemon(true);
        this.lastCommitNs = System.nanoTime() - COMMIT_EVERY_NS;
    }

    /** Subscribes and starts delivering (no-op when already started). */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        consumer = consumers.get();
        LOG.debug("Hook dispatcher starting on {} ({})", topic, settings);
        thread.start();
    }

    /**
     * Publishes this dispatcher's counters and its consumer's lag; call before {@link #start()}.
     *
     * @param registry where the meters go
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(ArgusMeters.HOOK_ATTEMPTS, attemptsOk, AtomicLong::get)
                .description("Hook HTTP attempts").tag("result", "ok").register(registry);
        FunctionCounter.builder(ArgusMeters.HOOK_ATTEMPTS, attemptsFailed, AtomicLong::get)
                .description("Hook HTTP attempts").tag("result", "failed").register(registry);
        FunctionCounter.builder(ArgusMeters.HOOK_CALLS, delivered, AtomicLong::get)
                .description("Hook calls done").tag("outcome", "delivered").register(registry);
        FunctionCounter.builder(ArgusMeters.HOOK_CALLS, deadLettered, AtomicLong::get)
                .description("Hook calls done").tag("outcome", "dead_letter").register(registry);
        lag = new ConsumerLag(registry, GROUP_ID);
    }

    /** @return calls delivered (2xx) since start */
    public long delivered() {
        return delivered.get();
    }

    /** @return calls that gave up and were dead-lettered since start */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** @return calls skipped because the committed metadata listed them as done */
    public long skipped() {
        return skipped.get();
    }

    /**
     * Stops polling, abandons pending retries, waits for running attempts (up to the attempt
     * timeout), commits what is done and closes the consumer and the dead-letter sink. Idempotent.
     */
    @Override
    public void close() {
        running = false;
        if (started.get()) {
            try {
                thread.join(settings.attemptTimeout().toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Hook dispatcher thread did not stop in time");
            }
        } else {
            deliverer.close();
            closeQuietly(deadLetters);
        }
    }

    // ---- the poll thread ----

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    ConsumerLag l = lag;
                    if (l != null) {
                        l.update(consumer);
                    }
                    absorb();
                    take(records);
                    absorb();
                    resumeIfRoom();
                    commit(false);
                } catch (KafkaException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("Hook dispatcher: Kafka error, retrying in {} ms: {}", BACKOFF_MS, e.toString());
                    Thread.sleep(BACKOFF_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Hook dispatcher stopped", e);
        } finally {
            shutdown();
        }
    }

    private void shutdown() {
        deliverer.close(); // running attempts finish and are reported; the rest is abandoned
        absorb();
        try {
            commit(true);
        } catch (RuntimeException e) {
            LOG.warn("Hook dispatcher: final commit failed: {}", e.toString());
        }
        try {
            consumer.close(Duration.ofSeconds(5)); // revokes: the listener commits nothing new
        } catch (RuntimeException e) {
            LOG.debug("Closing the hooks consumer", e);
        }
        closeQuietly(deadLetters);
        if (delivered.get() + deadLettered.get() > 0) {
            LOG.info("Hook dispatcher stopped: {} delivered, {} dead-lettered, {} skipped", delivered.get(),
                    deadLettered.get(), skipped.get());
        }
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            if (list.isEmpty() || !ensureAssigned(tp, list.get(0).offset())) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> r : list) {
                long offset = r.offset();
                if (offsets.skipIfDone(tp, offset)) {
                    skipped.incrementAndGet();
                    continue;
                }
                if (offsets.inFlight() >= settings.maxInFlight() || !offsets.hasRoom(tp, offset)) {
                    consumer.seek(tp, offset);
                    consumer.pause(Set.of(tp));
                    pausedByUs.add(tp);
                    LOG.debug("Hook dispatcher: pausing {} at {} ({} calls in flight)", tp, offset, offsets.inFlight());
                    break;
                }
                HookCall call = decode(r);
                offsets.started(tp, offset);
                if (call == null) {
                    offsets.finished(tp, offset);
                    continue;
                }
                deliverer.submit(new HookDeliverer.Ticket(tp, offset, offsets.epoch(tp), call));
            }
        }
    }

    /**
     * Makes sure the bookkeeping knows a partition whose records arrived (when reading its commit
     * failed in the rebalance listener, it is read now).
     *
     * @return false when the partition had to be rewound to its committed offset (skip the batch)
     */
    private boolean ensureAssigned(TopicPartition tp, long firstOffset) {
        if (offsets.epoch(tp) != 0) {
            return true;
        }
        OffsetAndMetadata committed = consumer.committed(Set.of(tp), COMMITTED_TIMEOUT).get(tp);
        offsets.assigned(tp, committed);
        if (committed != null && committed.offset() != firstOffset) {
            consumer.seek(tp, committed);
            return false;
        }
        return true;
    }

    private HookCall decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return reader.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            LOG.error("Hook dispatcher: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(),
                    r.offset(), e.toString());
            return null;
        }
    }

    /** Applies the calls the deliverer reported done. */
    private void absorb() {
        Done d;
        while ((d = completions.poll()) != null) {
            if (!offsets.isCurrent(d.partition(), d.epoch())) {
                continue; // started under an earlier assignment of the partition
            }
            offsets.finished(d.partition(), d.offset());
            (d.outcome() == HookDeliverer.Outcome.DELIVERED ? delivered : deadLettered).incrementAndGet();
        }
    }

    private void resumeIfRoom() {
        if (pausedByUs.isEmpty()) {
            return;
        }
        int resumeBelow = Math.max(1, settings.maxInFlight() * 3 / 4);
        for (TopicPartition tp : List.copyOf(pausedByUs)) {
            if (offsets.epoch(tp) == 0) {
                pausedByUs.remove(tp);
                continue;
            }
            if (offsets.inFlight() < resumeBelow && offsets.hasRoom(tp, consumer.position(tp))) {
                consumer.resume(Set.of(tp));
                pausedByUs.remove(tp);
            }
        }
    }

    private void commit(boolean now) {
        if (!now && System.nanoTime() - lastCommitNs < COMMIT_EVERY_NS) {
            return;
        }
        commit(offsets.toCommit());
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> positions) {
        if (positions.isEmpty()) {
            return;
        }
        lastCommitNs = System.nanoTime();
        try {
            consumer.commitSync(positions);
            offsets.committed(positions);
        } catch (KafkaException e) {
            // rebalance in progress, timeout, coordinator moved: the next commit carries it
            LOG.info("Hook dispatcher: commit of {} failed: {}", positions.keySet(), e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Closing {}", c, e);
        }
    }

    /** Runs on the poll thread, inside poll(), commitSync() or close(). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(new HashSet<>(partitions), COMMITTED_TIMEOUT);
            } catch (KafkaException e) {
                LOG.warn("Hook dispatcher: cannot read the commits of {} now; reading them with their records: {}",
                        partitions, e.toString());
                return;
            }
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                offsets.assigned(tp, c);
                pausedByUs.remove(tp);
                int skip = offsets.toSkip(tp).size();
                LOG.debug("Hook dispatcher: assigned {} at {}{}", tp, c == null ? "the beginning" : c.offset(),
                        skip == 0 ? "" : ", skipping " + skip + " call(s) already done");
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> gone = new HashSet<>(partitions);
            deliverer.revoke(t -> gone.contains(t.partition()), settings.attemptTimeout().plusSeconds(1));
            absorb();
            Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>(offsets.toCommit());
            last.keySet().retainAll(gone);
            commit(last);
            forget(gone);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            deliverer.revoke(t -> gone.contains(t.partition()), Duration.ZERO);
            forget(gone);
        }

        private void forget(Set<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                offsets.revoked(tp);
                pausedByUs.remove(tp);
            }
            LOG.debug("Hook dispatcher: released {}", gone);
        }
    }

    // ---- Kafka client settings ----

    private static String clientId() {
        return "argus-api-edge-hooks-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Supplier<Consumer<String, byte[]>> consumerFactory(KafkaSettings kafka, HookSettings settings,
                                                                     String clientId) {
        return () -> {
            Properties p = kafka.consumer(GROUP_ID, clientId);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(10, Math.min(500, settings.maxInFlight())));
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        };
    }
}
