package io.argus.edge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * The segments of a job's event stream, read from a real broker (the embedded KRaft broker): the
 * open segment follows the frame results' label-name sets (a new set opens a new segment at that
 * frame; scores are the maximum so far), a closed segment is sent as the op's last one and ends an
 * open segment it reaches, and other jobs, repeated frames and failed frames change nothing.
 */
class LiveSegmentsTest {

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static Topics topics;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(dir, 0).start();
        settings = new KafkaSettings(kafka.bootstrapServers(), 1, (short) 1);
        topics = new Topics(new InMemorySchemaRegistry(), "live-segments-test.");
        TopicAdmin.ensure(settings.admin(), topics.all(), 3, (short) 1);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static FrameResult frame(String job, long seq, String error, Map<String, Float> labels) {
        return FrameResult.newBuilder().setJobId(job).setVideoId("cam").setOp("detection").setSeq(seq)
                .setOffsetMs(seq * 200).setLabels(labels.entrySet().stream()
                        .map(e -> new Label(e.getKey(), e.getValue())).toList())
                .setResultJson("{}").setError(error).build();
    }

    static Segment segment(int index, long begin, long end) {
        return Segment.newBuilder().setJobId("job-a").setVideoId("cam").setOp("detection").setIndex(index)
                .setOffsetBegin(begin).setOffsetEnd(end).setLabels(List.of(new Label("person", 0.9f)))
                .setCuts(List.of()).build();
    }

    static void write(List<FrameResult> frames, List<Segment> segments) throws Exception {
        try (KafkaProducer<String, FrameResult> results = new KafkaProducer<>(settings.producer("t-results", null),
                topics.frameResults().keySerde().serializer(), topics.frameResults().valueSerde().serializer());
             KafkaProducer<String, Segment> segs = new KafkaProducer<>(settings.producer("t-segments", null),
                     topics.segments().keySerde().serializer(), topics.segments().valueSerde().serializer())) {
            for (FrameResult f : frames) {
                results.send(new ProducerRecord<>(topics.frameResults().name(), f.getJobId(), f)).get();
            }
            for (Segment s : segments) {
                segs.send(new ProducerRecord<>(topics.segments().name(), s.getJobId(), s)).get();
            }
        }
    }

    static String labels(ObjectNode e) {
        StringBuilder b = new StringBuilder();
        e.get("labels").forEach(l -> b.append(b.length() == 0 ? "" : ",").append(l.get("label").asText())
                .append(' ').append(l.get("score").asText()));
        return b.toString();
    }

    @Test
    void theOpenSegmentFollowsTheLabelSetsAndAClosedOneEndsIt() throws Exception {
        try (LiveSegments live = new LiveSegments(settings, topics, "job-a")) {
            assertThat(live.drain(Duration.ofSeconds(10))).isEmpty();

            write(List.of(frame("job-a", 0, null, Map.of("person", 0.5f)),
                    frame("job-a", 1, null, Map.of("person", 0.8f)),
                    frame("job-b", 2, null, Map.of("dog", 0.9f)),
                    frame("job-a", 1, null, Map.of("cat", 0.99f))), List.of());
            List<ObjectNode> first = live.drain(Duration.ofSeconds(10));
            assertThat(first).hasSize(1);
            ObjectNode open = first.get(0);
            assertThat(open.get("op").asText()).isEqualTo("detection");
            assertThat(open.get("state").asText()).isEqualTo("open");
            assertThat(open.get("index").asInt()).isZero();
            assertThat(open.get("offset_begin").asLong()).isZero();
            assertThat(open.get("offset_last").asLong()).isEqualTo(200);
            assertThat(labels(open)).isEqualTo("person 0.8");

            // a new set of names opens a new segment at its frame; the aggregator then closes the first
            write(List.of(frame("job-a", 2, null, Map.of("person", 0.6f, "car", 0.7f)),
                    frame("job-a", 3, "decoder error", Map.of())), List.of(segment(0, 0, 200)));
            List<ObjectNode> second = live.drain(Duration.ofSeconds(10));
            assertThat(second).extracting(e -> e.get("state").asText()).containsExactly("closed", "open");
            assertThat(second.get(0).get("index").asInt()).isZero();
            assertThat(second.get(0).get("offset_end").asLong()).isEqualTo(200);
            assertThat(second.get(1).get("index").asInt()).isEqualTo(1);
            assertThat(second.get(1).get("offset_begin").asLong()).isEqualTo(400);
            assertThat(labels(second.get(1))).isEqualTo("car 0.7,person 0.6");

            // a closed segment reaching the open one's begin ends it: nothing is open until the next frame
            write(List.of(), List.of(segment(1, 400, 400)));
            List<ObjectNode> third = live.drain(Duration.ofSeconds(10));
            assertThat(third).extracting(e -> e.get("state").asText()).containsExactly("closed");
            assertThat(third.get(0).get("index").asInt()).isEqualTo(1);
            write(List.of(frame("job-a", 4, null, Map.of()), frame("job-a", 5, null, Map.of())), List.of());
            List<ObjectNode> fourth = live.drain(Duration.ofSeconds(10));
            assertThat(fourth).hasSize(1);
            assertThat(fourth.get(0).get("offset_begin").asLong()).isEqualTo(800);
            assertThat(fourth.get(0).get("offset_last").asLong()).isEqualTo(1000);
            assertThat(fourth.get(0).get("index").asInt()).isEqualTo(2);
            assertThat(fourth.get(0).get("labels")).isEmpty();
            assertThat(live.drain(Duration.ofSeconds(2))).isEmpty();
        }
    }
}
