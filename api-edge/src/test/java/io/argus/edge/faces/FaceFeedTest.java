package io.argus.edge.faces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.faces.SyntheticFaces;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * The face feed on a real broker (the embedded KRaft broker): faces produced become searchable,
 * tombstones remove them, a restart goes on from the committed offsets, and a lost index is
 * rebuilt from the topic with each face once (a key written twice is one face).
 */
class FaceFeedTest {

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafka(dir.resolve("kafka"), 0).start();
        settings = new KafkaSettings(kafka.bootstrapServers(), 2, (short) 1);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void facesBecomeSearchableAndALostIndexIsRebuiltWithEachFaceOnce() throws Exception {
        Topics topics = new Topics(new InMemorySchemaRegistry(), "feed-");
        TopicAdmin.ensure(settings.admin(), topics.all(), 2, (short) 1);
        SyntheticFaces gen = new SyntheticFaces(FaceIndexTest.DIM, 10, 3);
        Path indexDir = dir.resolve("face-index");
        Set<String> live = new HashSet<>();
        try (KafkaProducer<String, FaceEvent> producer = new KafkaProducer<>(settings.producer("t-faces", null),
                topics.faces().keySerde().serializer(), topics.faces().valueSerde().serializer())) {
            for (int i = 0; i < 400; i++) {
                String job = i < 200 ? "j1" : "j2";
                String key = FaceIndexTest.key(job, i / 10, i % 10);
                producer.send(new ProducerRecord<>(topics.faces().name(), key,
                        FaceIndexTest.face(job, i / 10, i % 10, gen.face(i))));
                live.add(key);
            }
            // written twice: the later record (another person's face) replaces the first
            producer.send(new ProducerRecord<>(topics.faces().name(), "j1/0/0",
                    FaceIndexTest.face("j1", 0, 0, gen.face(399))));
            // a tombstone deletes; a face of the wrong dimension is skipped without stopping the feed
            producer.send(new ProducerRecord<>(topics.faces().name(), "j1/0/1", null));
            live.remove("j1/0/1");
            producer.send(new ProducerRecord<>(topics.faces().name(), "j1/0/2",
                    FaceIndexTest.face("j1", 0, 2, new float[] {1, 0, 0})));
            live.remove("j1/0/2");
            producer.flush();

            try (FaceIndex index = new FaceIndex(indexDir); FaceFeed feed = new FaceFeed(index, topics, settings)) {
                feed.start();
                feed.caughtUp().get(60, TimeUnit.SECONDS);
                await(() -> count(index) == live.size(), 10_000);
                FaceIndex.Match top = index.search("faceres", gen.face(123), 1, 0.9, null).get(0);
                assertThat(top.face().key()).isEqualTo("j1/12/3");
                assertThat(index.search("faceres", gen.face(399), 2, 0.99, null))
                        .extracting(m -> m.face().key()).containsExactlyInAnyOrder("j1/0/0", "j2/39/9");
                assertThat(index.trace("j1", 0)).extracting(FaceIndex.Face::seq).doesNotContain(1L, 2L);

                // a face produced now is searchable within about a second
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topics.faces().name(), "j3/1/0",
                        FaceIndexTest.face("j3", 1, 0, gen.face(5000)))).get();
                live.add("j3/1/0");
                await(() -> search(index, gen.face(5000)).equals("j3/1/0"), 10_000);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("face searchable " + ms + " ms after it was acknowledged");
                assertThat(ms).isLessThan(5_000);
            }
            // reopened: goes on from the committed offsets (the feed commits on close)
            try (FaceIndex index = new FaceIndex(indexDir)) {
                assertThat(index.offsets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(404);
                assertThat(index.count()).isEqualTo(live.size());
            }
            // lost: rebuilt from the topic's beginning
            deleteTree(indexDir);
            try (FaceIndex index = new FaceIndex(indexDir); FaceFeed feed = new FaceFeed(index, topics, settings)) {
                assertThat(index.offsets()).isEmpty();
                feed.start();
                feed.caughtUp().get(60, TimeUnit.SECONDS);
                await(() -> count(index) == live.size(), 10_000);
                Thread.sleep(2 * FaceFeed.REFRESH.toMillis());
                assertThat(index.count()).isEqualTo(live.size());
                assertThat(search(index, gen.face(5000))).isEqualTo("j3/1/0");
                List<FaceIndex.Match> all = index.search("faceres", gen.face(399), 1000, -1, null);
                assertThat(all).hasSize(live.size());
                assertThat(all.stream().map(m -> m.face().key()).distinct().count()).isEqualTo(live.size());
            }
        }
    }

    static int count(FaceIndex index) {
        try {
            return index.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String search(FaceIndex index, float[] v) {
        try {
            List<FaceIndex.Match> m = index.search("faceres", v, 1, -1, null);
            return m.isEmpty() ? "" : m.get(0).face().key();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void await(BooleanSupplier condition, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited %d ms", ms).isLessThan(end);
            Thread.sleep(20);
        }
    }

    static void deleteTree(Path p) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
