package io.argus.ingest.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowSpec;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * Flow extraction on a real 8×8 video (made with the ffmpeg CLI) through a real broker: DIS cannot
 * run on frames that small, so the request ends FAILED with 400 at once instead of sending pairs
 * the flow workers would all skip (which left it DOING for ever); Farneback runs on them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatternExtractionTest {

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private KafkaSettings settings;
    private Topics topics;
    private Path tiny;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "needs the ffmpeg CLI");
        tiny = dir.resolve("tiny.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=size=8x8:rate=10", "-t", "2", "-c:v", "mpeg4", tiny.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        kafka = new EmbeddedKafka(dir.resolve("kafka"), 0).start();
        settings = new KafkaSettings(kafka.bootstrapServers(), 1, (short) 1);
        topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        TopicAdmin.ensure(settings.admin(), topics.all(), 1, (short) 1);
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void disOnFramesUnder12PixelsFailsWith400() throws Exception {
        ExtractionStatus last = run("tiny-dis", "DIS");

        assertThat(last.getState()).isEqualTo(ExtractionState.FAILED);
        assertThat(last.getError().getCode()).isEqualTo(400);
        assertThat(last.getError().getMessage())
                .isEqualTo("frames too small for optical flow: 8x8 at scale 1.0, DIS needs at least 12 px a side");
        assertThat(last.getFrames()).isZero();
    }

    @Test
    void farnebackRunsOnTheSameFrames() throws Exception {
        ExtractionStatus last = run("tiny-farneback", "FARNEBACK");

        assertThat(last.getState()).isEqualTo(ExtractionState.FINISHED);
        assertThat(last.getFrames()).isPositive();
    }

    private ExtractionStatus run(String id, String algorithm) throws Exception {
        ExtractionRequest request = ExtractionRequest.newBuilder()
                .setRequestId(id).setKind(ExtractionKind.FLOW).setVideoId("tiny").setUri(tiny.toString())
                .setPattern("uniform").setIntervalS(0.5).setCount(null).setSeed(null).setThreshold(null)
                .setStartS(null).setDurationS(null)
                .setFlow(FlowSpec.newBuilder().setAlgorithm(algorithm).setPreset("FAST").setGap(1).setScale(1.0).build())
                .setCreatedAt(0).setRequestJson("{}").build();
        try (RecordSender sender = new RecordSender(settings, "t-" + id)) {
            new PatternExtraction(new LocalFrameStore(dir.resolve("frames")), sender, topics, SourceOpener.UNRESTRICTED)
                    .run(request, () -> false);
        }
        List<ExtractionStatus> statuses = read(topics.extractionStatus(), id, 2, Duration.ofSeconds(30));
        assertThat(statuses).extracting(ExtractionStatus::getState).startsWith(ExtractionState.DOING).hasSize(2);
        return statuses.get(statuses.size() - 1);
    }

    private <V> List<V> read(Topic<String, V> topic, String key, int n, Duration timeout) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(settings.consumer("t-" + key, "t-" + key),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }
}
