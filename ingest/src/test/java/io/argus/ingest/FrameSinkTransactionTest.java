package io.argus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.FramePartitions;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * Ingest's transactional frame sink on a real broker: a job's FRAME events are spread over the
 * analyzer-frames partitions and become visible to read_committed readers only when committed,
 * and a new run of a job fences the old one and drops what it had not committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameSinkTransactionTest {

    private static final int PARTITIONS = 4;

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private KafkaSettings settings;
    private Topics topics;

    @BeforeAll
    void start() {
        kafka = new EmbeddedKafka(dir, 0).start();
        settings = new KafkaSettings(kafka.bootstrapServers(), PARTITIONS, (short) 1);
        topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        TopicAdmin.ensure(settings.admin(), topics.all(), PARTITIONS, (short) 1);
    }

    @AfterAll
    void stop() {
        kafka.close();
    }

    @Test
    void framesAreSpreadOverTheAnalyzerPartitionsAndVisibleOnlyOnceCommitted() throws Exception {
        String job = "spread-job";
        try (KafkaFrameSinks sinks = new KafkaFrameSinks(settings, topics, "t", Duration.ofHours(1));
             FrameSink sink = sinks.open(job)) {
            sink.send(event(job, FrameKind.BEGIN, 0));
            for (int seq = 0; seq < 8; seq++) {
                sink.send(event(job, FrameKind.FRAME, seq));
            }
            assertThat(read(topics.analyzerFrames(), job, 1, Duration.ofSeconds(2)))
                    .as("nothing visible before the commit").isEmpty();
            sink.flush();
        }
        List<ConsumerRecord<String, FrameEvent>> spread = read(topics.analyzerFrames(), job, 8, Duration.ofSeconds(20));
        assertThat(spread).hasSize(8);
        for (ConsumerRecord<String, FrameEvent> r : spread) {
            assertThat(r.key()).isEqualTo(job);
            assertThat(r.value().getKind()).isEqualTo(FrameKind.FRAME);
            assertThat(r.partition()).isEqualTo(FramePartitions.of(job, r.value().getSeq(), PARTITIONS));
        }
        assertThat(spread.stream().collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting())))
                .as("every partition gets an equal share").hasSize(PARTITIONS).containsOnlyKeys(0, 1, 2, 3)
                .allSatisfy((p, n) -> assertThat(n).isEqualTo(2L));
        List<ConsumerRecord<String, FrameEvent>> log = read(topics.frames(), job, 9, Duration.ofSeconds(20));
        assertThat(log).extracting(ConsumerRecord::partition).containsOnly(FramePartitions.home(job, PARTITIONS));
        assertThat(log).extracting(r -> r.value().getKind() + "" + r.value().getSeq())
                .containsExactly("BEGIN0", "FRAME0", "FRAME1", "FRAME2", "FRAME3", "FRAME4", "FRAME5", "FRAME6", "FRAME7");
    }

    @Test
    void anIntervalCommitMakesAFrameVisibleWithoutAFlush() throws Exception {
        String job = "interval-job";
        try (KafkaFrameSinks sinks = new KafkaFrameSinks(settings, topics, "t", Duration.ofMillis(100));
             FrameSink sink = sinks.open(job)) {
            long t0 = System.nanoTime();
            sink.send(event(job, FrameKind.FRAME, 0));
            assertThat(read(topics.analyzerFrames(), job, 1, Duration.ofSeconds(10))).hasSize(1);
            assertThat((System.nanoTime() - t0) / 1e6).as("ms until visible").isLessThan(5000);
        }
    }

    @Test
    void aNewRunFencesTheOldOneWhoseUncommittedFramesNeverAppear() throws Exception {
        String job = "fenced-job";
        try (KafkaFrameSinks sinks = new KafkaFrameSinks(settings, topics, "t", Duration.ofHours(1));
             FrameLog log = new FrameLog(settings, topics.frames(), "t-log")) {
            FrameSink first = sinks.open(job);
            first.send(event(job, FrameKind.BEGIN, 0));
            first.send(event(job, FrameKind.FRAME, 0));
            first.flush();
            first.send(event(job, FrameKind.FRAME, 1)); // sent, never committed: the run "dies" here

            try (FrameSink second = sinks.open(job)) {
                SentSoFar sent = log.read(job, 0);
                assertThat(sent.begun()).isTrue();
                assertThat(sent.lastSeq()).as("only the committed frame counts").isEqualTo(0);
                assertThatThrownBy(() -> {
                    first.send(event(job, FrameKind.FRAME, 2));
                    first.flush();
                }).isInstanceOfSatisfying(FrameSinkException.class, e -> assertThat(e.fenced()).isTrue());
                first.close();
                second.send(event(job, FrameKind.FRAME, 1));
                second.send(event(job, FrameKind.END, 2));
                second.flush();
            }
        }
        List<ConsumerRecord<String, FrameEvent>> spread = read(topics.analyzerFrames(), job, 3, Duration.ofSeconds(5));
        assertThat(spread).extracting(r -> r.value().getSeq()).containsExactlyInAnyOrder(0L, 1L);
        List<ConsumerRecord<String, FrameEvent>> frames = read(topics.frames(), job, 5, Duration.ofSeconds(5));
        assertThat(frames).extracting(r -> r.value().getKind() + "" + r.value().getSeq())
                .containsExactly("BEGIN0", "FRAME0", "FRAME1", "END2");
    }

    private static FrameEvent event(String job, FrameKind kind, long seq) {
        return FrameEvent.newBuilder().setJobId(job).setVideoId("v").setKind(kind).setSeq(seq).setOffsetMs(seq * 1000)
                .setUri(kind == FrameKind.FRAME ? "file:///frames/" + seq + ".jpg" : null).setOps(List.of("person"))
                .build();
    }

    /** Reads the topic (read_committed) from its start until {@code n} records of the job or the timeout. */
    private List<ConsumerRecord<String, FrameEvent>> read(Topic<String, FrameEvent> topic, String job, int n,
                                                          Duration timeout) {
        List<ConsumerRecord<String, FrameEvent>> out = new ArrayList<>();
        try (KafkaConsumer<String, FrameEvent> consumer = new KafkaConsumer<>(settings.consumer("t-" + job, "t-" + job),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, FrameEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (job.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
