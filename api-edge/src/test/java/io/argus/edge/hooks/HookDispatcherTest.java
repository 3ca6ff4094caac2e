package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

/**
 * The dispatcher's Kafka loop against a {@link MockConsumer} that serves records from an in-memory
 * log like a broker would (from the position, honouring seeks and pauses). The loop against a real
 * broker is tested elsewhere.
 */
class HookDispatcherTest {

    private static final Topics TOPICS = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
    private static final String TOPIC = TOPICS.hooks().name();
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /**
     * A MockConsumer reading a shared in-memory log; its commits also go to a shared map, the
     * group's commits as a broker keeps them (MockConsumer forgets them on close and answers 0 for
     * unassigned partitions). A new consumer starts from the group's commits.
     */
    static final class LogConsumer extends MockConsumer<String, byte[]> {
        final Map<TopicPartition, List<byte[]>> log;
        final Map<TopicPartition, OffsetAndMetadata> group;
        final List<TopicPartition> pauses = new CopyOnWriteArrayList<>();

        LogConsumer(Map<TopicPartition, List<byte[]>> log, Map<TopicPartition, OffsetAndMetadata> group) {
            super("earliest");
            this.log = log;
            this.group = group;
            updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        }

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
            super.subscribe(topics, listener); // forgets the commits: start from the group's
            if (!group.isEmpty()) {
                super.commitSync(Map.copyOf(group));
            }
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions,
                                                                          Duration timeout) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            partitions.forEach(tp -> {
                if (group.containsKey(tp)) {
                    out.put(tp, group.get(tp));
                }
            });
            return out;
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            group.putAll(offsets);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            commitSync(offsets);
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            super.poll(Duration.ZERO); // runs scheduled tasks (rebalances), settles positions
            Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> out = new HashMap<>();
            synchronized (this) {
                for (TopicPartition tp : assignment()) {
                    if (paused().contains(tp)) {
                        continue;
                    }
                    List<byte[]> l = log.getOrDefault(tp, List.of());
                    long pos = position(tp);
                    List<ConsumerRecord<String, byte[]>> recs = new ArrayList<>();
                    for (long o = pos; o < l.size() && recs.size() < 50; o++) {
                        recs.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "k", l.get((int) o)));
                    }
                    if (!recs.isEmpty()) {
                        out.put(tp, recs);
                        seek(tp, pos + recs.size());
                    }
                }
            }
            if (out.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ConsumerRecords<>(out, Map.of());
        }

        @Override
        public synchronized void pause(Collection<TopicPartition> partitions) {
            pauses.addAll(partitions);
            super.pause(partitions);
        }
    }

    /** Records attempts; answers per job. */
    static final class FakeTransport implements HookTransport {
        final List<String> attempts = new CopyOnWriteArrayList<>();
        final Map<String, Integer> statusByJob = new ConcurrentHashMap<>();
        volatile long delayMs;

        @Override
        public AttemptResult attempt(HookCall call, byte[] body, int attempt) {
            attempts.add(call.getIdempotencyKey());
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return AttemptResult.ofStatus(statusByJob.getOrDefault(call.getJobId(), 200));
        }

        long count(String key) {
            return attempts.stream().filter(key::equals).count();
        }
    }

    private final Map<TopicPartition, List<byte[]>> log = new ConcurrentHashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> group = new ConcurrentHashMap<>();
    private final HookDelivererTest.Dlq dlq = new HookDelivererTest.Dlq();
    private final List<HookDispatcher> dispatchers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        dispatchers.forEach(HookDispatcher::close);
    }

    private static HookSettings settings() {
        return HookSettings.defaults()
                .withBackoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(10), 0.0) // a failing call stays pending
                .withAttempts(5, Duration.ofSeconds(2));
    }

    private void append(TopicPartition tp, HookCall call) {
        log.computeIfAbsent(tp, k -> new CopyOnWriteArrayList<>())
                .add(TOPICS.hooks().valueSerde().serializer().serialize(TOPIC, call));
    }

    private HookDispatcher start(LogConsumer consumer, HookSettings settings, HookTransport transport,
                                 Collection<TopicPartition> assignment) {
        consumer.schedulePollTask(() -> consumer.rebalance(assignment));
        HookDispatcher d = new HookDispatcher(TOPICS, settings, () -> consumer, transport, dlq);
        dispatchers.add(d);
        d.start();
        return d;
    }

    private OffsetAndMetadata committed(TopicPartition tp) {
        return group.get(tp);
    }

    @Test
    void callsDoneBeyondAStuckOneAreNotDeliveredAgainAfterARestart() throws Exception {
        append(P0, Calls.segmentCall("stuck", 0, "http://h.example.com/s")); // offset 0: keeps failing
        for (int i = 1; i <= 4; i++) {
            append(P0, Calls.segmentCall("job-" + i, 0, "http://h.example.com/" + i));
        }
        FakeTransport first = new FakeTransport();
        first.statusByJob.put("stuck", 503);
        LogConsumer c1 = new LogConsumer(log, group);
        HookDispatcher d1 = start(c1, settings(), first, List.of(P0));

        waitFor(() -> d1.delivered() == 4);
        waitFor(() -> {
            OffsetAndMetadata c = committed(P0);
            return c != null && CommitMetadataCodec.decode(0, c.metadata()).size() == 4;
        });
        OffsetAndMetadata before = committed(P0);
        assertThat(before.offset()).isZero();
        assertThat(CommitMetadataCodec.decode(0, before.metadata())).containsExactly(1L, 2L, 3L, 4L);
        d1.close(); // the stuck call waits a 10 s backoff: abandoned, not committed
        assertThat(committed(P0)).isEqualTo(before);
        assertThat(first.count("stuck:segment:pulp:0")).isEqualTo(1);

        // restart: a new consumer of the same group sees the commit
        append(P0, Calls.segmentCall("job-5", 0, "http://h.example.com/5"));
        FakeTransport second = new FakeTransport();
        LogConsumer c2 = new LogConsumer(log, group);
        HookDispatcher d2 = start(c2, settings(), second, List.of(P0));

        waitFor(() -> d2.delivered() == 2);
        waitFor(() -> committed(P0).offset() == 6);
        assertThat(second.attempts).containsExactlyInAnyOrder("stuck:segment:pulp:0", "job-5:segment:pulp:0");
        assertThat(d2.skipped()).isEqualTo(4);
        assertThat(committed(P0).metadata()).isEmpty();
    }

    @Test
    void deadLetteredCallsCountAsDoneAndJobsStayInOrder() throws Exception {
        append(P0, Calls.segmentCall("a", 0, "http://h.example.com/a"));
        append(P0, Calls.segmentCall("gone", 0, "http://h.example.com/gone"));
        append(P0, Calls.segmentCall("a", 1, "http://h.example.com/a"));
        append(P0, Calls.segmentCall("a", 2, "http://h.example.com/a"));
        FakeTransport t = new FakeTransport();
        t.statusByJob.put("gone", 410);
        LogConsumer c = new LogConsumer(log, group);
        HookDispatcher d = start(c, settings(), t, List.of(P0));

        waitFor(() -> committed(P0) != null && committed(P0).offset() == 4);
        assertThat(d.delivered()).isEqualTo(3);
        assertThat(d.deadLettered()).isEqualTo(1);
        assertThat(dlq.written).singleElement().satisfies(h -> {
            assertThat(h.getJobId()).isEqualTo("gone");
            assertThat(h.getLastError()).isEqualTo("HTTP 410");
        });
        assertThat(t.attempts).filteredOn(k -> k.startsWith("a:"))
                .containsExactly("a:segment:pulp:0", "a:segment:pulp:1", "a:segment:pulp:2");
    }

    @Test
    void pausesWhenTooManyCallsAreInFlightAndDeliversEachOnce() throws Exception {
        for (int i = 0; i < 12; i++) {
            append(P0, Calls.segmentCall("job-" + i, 0, "http://h.example.com/" + i));
        }
        FakeTransport t = new FakeTransport();
        t.delayMs = 30;
        LogConsumer c = new LogConsumer(log, group);
        HookDispatcher d = start(c, settings().withConcurrency(1, 3), t, List.of(P0));

        waitFor(() -> committed(P0) != null && committed(P0).offset() == 12);
        assertThat(c.pauses).contains(P0);
        assertThat(c.paused()).isEmpty();
        assertThat(d.delivered()).isEqualTo(12);
        assertThat(t.attempts).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void revokedPartitionsCommitTheirProgressAndStopDelivering() throws Exception {
        append(P0, Calls.segmentCall("stuck", 0, "http://h.example.com/s"));
        append(P0, Calls.segmentCall("p0", 0, "http://h.example.com/p0"));
        append(P1, Calls.segmentCall("p1", 0, "http://h.example.com/p1"));
        FakeTransport t = new FakeTransport();
        t.statusByJob.put("stuck", 500);
        LogConsumer c = new LogConsumer(log, group);
        HookDispatcher d = start(c, settings(), t, List.of(P0, P1));
        waitFor(() -> d.delivered() == 2);

        c.schedulePollTask(() -> c.rebalance(List.of(P1)));
        waitFor(() -> !c.assignment().contains(P0));
        waitFor(() -> committed(P0) != null);
        OffsetAndMetadata p0 = committed(P0);
        assertThat(p0.offset()).isZero();
        assertThat(CommitMetadataCodec.decode(0, p0.metadata())).containsExactly(1L);

        append(P1, Calls.segmentCall("p1", 1, "http://h.example.com/p1"));
        waitFor(() -> d.delivered() == 3);
        waitFor(() -> committed(P1) != null && committed(P1).offset() == 2);
        assertThat(t.count("stuck:segment:pulp:0")).isEqualTo(1);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
