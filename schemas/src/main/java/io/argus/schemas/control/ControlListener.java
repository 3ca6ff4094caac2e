package io.argus.schemas.control;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.PollHandler;
import io.argus.schemas.kafka.PollLoop;
import io.argus.schemas.topics.Topics;

/**
 * Reads the whole control topic (every partition, read_committed, from the beginning, no consumer
 * group) into memory, so any instance of a stage knows at once whether a job it works for was
 * killed or has ops stopped by their terminate rule: ingest stops the job's source, the analyzer
 * drops the job's queued frames. The topic is small (a record per
 * kill and per terminated op, kept 7 days), and entries older than that are forgotten.
 */
public final class ControlListener implements JobControls, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);
    /** Entries are forgotten after the control topic's retention. */
    static final long FORGET_AFTER_MS = Duration.ofDays(7).toMillis();

    private final KafkaConsumer<String, JobControl> consumer;
    private final Topics topics;
    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final PollLoop<String, JobControl> loop;

    /** What is known of one job. */
    private record Entry(boolean killed, Set<String> stoppedOps, long lastAtMs) {
    }

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param stage      the reading stage's name (ingest, analyzer), part of the client id and
     *                   thread name {@code argus-<stage>-control-<instanceId>}
     * @param instanceId distinguishes instances in client ids
     */
    public ControlListener(KafkaSettings settings, Topics topics, String stage, String instanceId) {
        this.topics = topics;
        String name = "argus-" + stage + "-control-" + instanceId;
        var props = settings.consumer("unused", name);
        props.remove("group.id"); // assigned partitions, no group: every instance reads everything
        this.consumer = new KafkaConsumer<>(props, topics.control().keySerde().deserializer(),
                topics.control().valueSerde().deserializer());
        this.loop = new PollLoop<>(name, consumer, new Reader(), Duration.ofSeconds(5),
                true);
    }

    /** Starts reading; see {@link #awaitCaughtUp(Duration)}. */
    public void start() {
        loop.start(); // no subscription: the reader assigns every partition
    }

    /**
     * @param timeout how long to wait
     * @return true once every record present at start has been read
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean killed(String jobId) {
        Entry e = jobs.get(jobId);
        return e != null && e.killed();
    }

    @Override
    public Set<String> stoppedOps(String jobId) {
        Entry e = jobs.get(jobId);
        return e == null ? Set.of() : e.stoppedOps();
    }

    /** The poll thread's work: assigns every partition, reads from the beginning, notes when caught up. */
    private final class Reader implements PollHandler<String, JobControl> {

        /** End offsets at start of the partitions not yet read up to them. */
        private Map<TopicPartition, Long> end;

        @Override
        public void onStart() {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.control().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            end = new HashMap<>(consumer.endOffsets(partitions));
        }

        @Override
        public Duration pollTimeout() {
            return Duration.ofMillis(50);
        }

        @Override
        public void onPoll(ConsumerRecords<String, JobControl> records) {
            for (ConsumerRecord<String, JobControl> r : records) {
                if (r.value() != null) {
                    apply(r.value());
                }
            }
            if (caughtUp.getCount() > 0) {
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    caughtUp.countDown();
                    LOG.debug("Control topic read up to its end: {} jobs", jobs.size());
                }
            }
        }
    }

    private void apply(JobControl c) {
        jobs.compute(c.getJobId(), (id, old) -> {
            boolean killed = (old != null && old.killed()) || c.getAction() == ControlAction.KILL;
            Set<String> stopped = old == null ? Set.of() : old.stoppedOps();
            if (c.getAction() == ControlAction.STOP_OP && c.getOp() != null && !stopped.contains(c.getOp())) {
                var copy = new java.util.HashSet<>(stopped);
                copy.add(c.getOp());
                stopped = Set.copyOf(copy);
            }
            return new Entry(killed, stopped, Math.max(c.getAtMs(), old == null ? 0 : old.lastAtMs()));
        });
        if (c.getAction() == ControlAction.KILL) {
            LOG.info("Job {}: kill received", c.getJobId());
        }
        long horizon = System.currentTimeMillis() - FORGET_AFTER_MS;
        if (jobs.size() > 1000) {
            jobs.values().removeIf(e -> e.lastAtMs() < horizon);
        }
    }

    /** Stops reading and closes the consumer. */
    @Override
    public void close() {
        loop.close();
    }
}
