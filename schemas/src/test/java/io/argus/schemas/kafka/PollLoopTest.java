package io.argus.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The mechanics of {@link PollLoop}: the order of the handler's calls and the thread they run on,
 * records handed over in order, rebalance callbacks, the end of the loop on a stop (between polls
 * or waking a poll), on an exception and on an interrupt, and a close that joins and closes the
 * consumer once, leaving the group only when the loop subscribed.
 *
 * <p>The schemas module cannot start a broker (the embedded KRaft broker lives in the launcher),
 * so these tests drive Kafka's own {@link MockConsumer} (an in-memory consumer that delivers the
 * records and runs the rebalances a test gives it), except for the wake-up of a blocked poll,
 * which uses a real {@link KafkaConsumer} whose poll blocks on a broker address nobody listens
 * on. The loop against a real broker is covered by the tests of its four users, which all run
 * through a {@code PollLoop}: the launcher's EndToEndTest, ExtractionTest, AnalyzeCommandTest and
 * FrameSinkTransactionTest (ingest, control listener, analyzer, flow worker).
 */
class PollLoopTest {

    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);

    @Test
    void handsRecordsOverInOrderOnItsThreadAndClosesLeavingTheGroupOnce() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(TP0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP0));
            for (int i = 0; i < 5; i++) {
                consumer.addRecord(new ConsumerRecord<>("t", 0, i, "k", "v" + i));
            }
        });
        Recorder handler = new Recorder();
        PollLoop<String, String> loop = new PollLoop<>("loop-order", consumer, handler, Duration.ofSeconds(10), false);
        assertThat(loop.name()).isEqualTo("loop-order");

        loop.start(List.of("t"));
        assertThat(consumer.subscription()).containsExactly("t");
        await(() -> handler.values.size() == 5);
        assertThat(handler.values).containsExactly("v0", "v1", "v2", "v3", "v4");
        assertThat(handler.calls).startsWith("start after 0 polls", "assigned [t-0]");
        assertThat(consumer.lastPollTimeout()).isEqualTo(Recorder.TIMEOUT);

        loop.close();
        loop.close();
        assertThat(loop.isRunning()).isFalse();
        assertThat(alive("loop-order")).as("joined").isFalse();
        assertThat(handler.calls.get(handler.calls.size() - 2)).startsWith("stop");
        assertThat(handler.calls).endsWith("beforeClose");
        assertThat(handler.loopThreads).containsExactly("loop-order");
        assertThat(handler.closeThread).isEqualTo(Thread.currentThread().getName());
        assertThat(consumer.closes).containsExactly(GroupMembershipOperation.LEAVE_GROUP);
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void rebalanceCallbacksRunInsideThePollsOnTheLoopThread() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(TP0, 0L, TP1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(TP0, TP1)));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(TP1)));
        Recorder handler = new Recorder();
        try (PollLoop<String, String> loop = new PollLoop<>("loop-rebalance", consumer, handler,
                Duration.ofSeconds(10), false)) {
            loop.start(List.of("t"));
            await(() -> handler.calls.contains("revoked [t-0]"));
            assertThat(handler.calls).containsSubsequence("assigned [t-0, t-1]", "revoked [t-0]", "assigned []");
            assertThat(handler.loopThreads).containsExactly("loop-rebalance");
        }
    }

    @Test
    void aStopSeenBetweenPollsEndsTheLoopWithoutWakeUpOrAnotherPoll() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(TP0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP0));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "stop"));
        });
        Recorder handler = new Recorder();
        PollLoop<String, String> loop = new PollLoop<>("loop-stop", consumer, handler, Duration.ofSeconds(10), false);
        handler.loop = loop;

        loop.start(List.of("t"));
        await(() -> !alive("loop-stop"));
        assertThat(handler.values).containsExactly("stop");
        assertThat(handler.calls).endsWith("stop woken=false");
        assertThat(handler.polls.get()).as("no poll after the stop").isEqualTo(handler.pollsAtStop);
        assertThat(consumer.closes).as("the consumer stays open until close").isEmpty();
        loop.close();
        assertThat(consumer.closes).containsExactly(GroupMembershipOperation.LEAVE_GROUP);
    }

    @Test
    void closeWakesAPollBlockedOnARealConsumerAndJoinsIt() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // nobody listens: the poll waits
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "poll-loop-test");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer());
        Recorder handler = new Recorder() {
            @Override
            public void onStart() throws InterruptedException {
                super.onStart();
                consumer.assign(List.of(TP0));
            }

            @Override
            public Duration pollTimeout() {
                super.pollTimeout();
                return Duration.ofMinutes(10);
            }
        };
        PollLoop<String, String> loop = new PollLoop<>("loop-blocked", consumer, handler, Duration.ofSeconds(60), true);
        loop.start();
        await(() -> handler.timeoutsAsked.get() == 1);
        sleep(300); // into the poll
        Thread thread = thread("loop-blocked");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getState()).isIn(Thread.State.TIMED_WAITING, Thread.State.RUNNABLE);

        long t0 = System.nanoTime();
        loop.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(ms).as("close took %d ms", ms).isLessThan(30_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(handler.polls.get()).as("the poll returned no records").isZero();
        assertThat(handler.calls).containsExactly("start after 0 polls", "stop woken=true", "beforeClose");
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void anExceptionFromTheHandlerEndsTheLoopIsKeptAndSkipsOnStop() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(TP0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP0));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "fail"));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 1, "k", "after"));
        });
        Recorder handler = new Recorder();
        PollLoop<String, String> loop = new PollLoop<>("loop-fail", consumer, handler, Duration.ofSeconds(10), false);

        loop.start(List.of("t"));
        await(() -> loop.failure().isPresent());
        await(() -> !alive("loop-fail"));
        assertThat(loop.failure().get()).isInstanceOf(IllegalStateException.class).hasMessage("bad record fail");
        int polls = handler.polls.get();
        sleep(100);
        assertThat(handler.polls.get()).as("no poll after the failure").isEqualTo(polls);
        assertThat(handler.calls).noneMatch(c -> c.startsWith("stop"));
        assertThat(loop.isRunning()).as("only a stop turns it off").isTrue();

        loop.close();
        assertThat(handler.calls).endsWith("beforeClose");
        assertThat(consumer.closes).containsExactly(GroupMembershipOperation.LEAVE_GROUP);
    }

    @Test
    void anExceptionFromThePollEndsTheLoopToo() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.setPollException(new KafkaException("broker gone"));
        Recorder handler = new Recorder();
        try (PollLoop<String, String> loop = new PollLoop<>("loop-poll-fail", consumer, handler,
                Duration.ofSeconds(10), false)) {
            loop.start(List.of("t"));
            await(() -> !alive("loop-poll-fail") && loop.failure().isPresent());
            assertThat(loop.failure().get()).hasMessage("broker gone");
            assertThat(handler.polls.get()).isZero();
        }
    }

    @Test
    void anInterruptEndsTheLoopQuietlyWithItsFlagSet() {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.updateBeginningOffsets(Map.of(TP0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP0));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "interrupt"));
        });
        Recorder handler = new Recorder();
        try (PollLoop<String, String> loop = new PollLoop<>("loop-interrupt", consumer, handler,
                Duration.ofSeconds(10), false)) {
            loop.start(List.of("t"));
            await(() -> handler.values.contains("interrupt"));
            await(() -> !alive("loop-interrupt"));
            assertThat(loop.failure()).isEmpty();
            assertThat(handler.calls).noneMatch(c -> c.startsWith("stop"));
        }
    }

    @Test
    void closeWaitsForTheLoopAtMostTheJoinTimeoutAndClosesAnyway() throws InterruptedException {
        RecordingConsumer consumer = new RecordingConsumer();
        CountDownLatch release = new CountDownLatch(1);
        Recorder handler = new Recorder() {
            @Override
            public void onStop(boolean wokenUp) throws InterruptedException {
                super.onStop(wokenUp);
                release.await();
            }
        };
        PollLoop<String, String> loop = new PollLoop<>("loop-slow-stop", consumer, handler, Duration.ofMillis(300),
                false);
        loop.start(List.of("t"));
        await(() -> handler.polls.get() > 0);

        long t0 = System.nanoTime();
        loop.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(ms).isBetween(250L, 10_000L);
        assertThat(alive("loop-slow-stop")).isTrue();
        assertThat(handler.calls).endsWith("beforeClose");
        assertThat(consumer.closes).containsExactly(GroupMembershipOperation.LEAVE_GROUP);
        release.countDown();
        await(() -> !alive("loop-slow-stop"));
    }

    @Test
    void aLoopNeverStartedClosesItsConsumerPlainly() {
        RecordingConsumer consumer = new RecordingConsumer();
        Recorder handler = new Recorder();
        PollLoop<String, String> loop = new PollLoop<>("loop-unstarted", consumer, handler, Duration.ofSeconds(10),
                false);
        loop.close();
        assertThat(handler.calls).containsExactly("beforeClose");
        assertThat(consumer.closes).containsExactly(GroupMembershipOperation.DEFAULT);
    }

    /** A {@link MockConsumer} that notes how it was closed. */
    private static final class RecordingConsumer extends MockConsumer<String, String> {

        final List<GroupMembershipOperation> closes = new CopyOnWriteArrayList<>();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public void close(CloseOptions options) {
            closes.add(options.groupMembershipOperation());
            super.close(options);
        }
    }

    /**
     * Notes every call with the loop's state. A record "fail" throws, "interrupt" is interrupted,
     * "stop" stops {@link #loop}; an empty poll sleeps 2 ms (a MockConsumer does not wait).
     */
    private static class Recorder implements PollHandler<String, String> {

        static final Duration TIMEOUT = Duration.ofMillis(7);

        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> values = new CopyOnWriteArrayList<>();
        final Set<String> loopThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger timeoutsAsked = new AtomicInteger();
        volatile PollLoop<String, String> loop;
        volatile int pollsAtStop = -1;
        volatile String closeThread;

        @Override
        public void onStart() throws InterruptedException {
            onLoop();
            calls.add("start after " + polls.get() + " polls");
        }

        @Override
        public Duration pollTimeout() {
            onLoop();
            timeoutsAsked.incrementAndGet();
            return TIMEOUT;
        }

        @Override
        public void onPoll(ConsumerRecords<String, String> records) throws InterruptedException {
            onLoop();
            polls.incrementAndGet();
            if (records.isEmpty()) {
                Thread.sleep(2);
            }
            for (ConsumerRecord<String, String> r : records) {
                values.add(r.value());
                switch (r.value()) {
                    case "fail" -> throw new IllegalStateException("bad record fail");
                    case "interrupt" -> throw new InterruptedException();
                    case "stop" -> {
                        pollsAtStop = polls.get();
                        loop.stop();
                    }
                    default -> {
                    }
                }
            }
        }

        @Override
        public void onAssigned(Collection<TopicPartition> partitions) {
            onLoop();
            calls.add("assigned " + sorted(partitions));
        }

        @Override
        public void onRevoked(Collection<TopicPartition> partitions) {
            onLoop();
            calls.add("revoked " + sorted(partitions));
        }

        @Override
        public void onStop(boolean wokenUp) throws InterruptedException {
            onLoop();
            calls.add("stop woken=" + wokenUp);
        }

        @Override
        public void beforeClose() {
            closeThread = Thread.currentThread().getName();
            calls.add("beforeClose");
        }

        private void onLoop() {
            loopThreads.add(Thread.currentThread().getName());
        }

        private static List<String> sorted(Collection<TopicPartition> partitions) {
            List<String> out = new ArrayList<>();
            partitions.forEach(tp -> out.add(tp.toString()));
            out.sort(null);
            return out;
        }
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
            sleep(5);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
