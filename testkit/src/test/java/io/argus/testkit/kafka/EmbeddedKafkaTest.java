package io.argus.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker keeps its data across a restart on the same directory, and owns it while it runs. */
class EmbeddedKafkaTest {

    /**
     * A second broker on a directory in use once overwrote the first one's port file and wrote
     * into its metadata log before Kafka's own lock stopped it: it must fail before writing.
     */
    @Test
    void aSecondBrokerOnTheSameDirectoryFailsBeforeWritingAnything(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0)) {
            String port = java.nio.file.Files.readString(dir.resolve("port"));
            long modified = java.nio.file.Files.getLastModifiedTime(dir.resolve("port")).toMillis();
            Thread.sleep(20);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EmbeddedKafka(dir, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another broker");
            assertThat(java.nio.file.Files.readString(dir.resolve("port"))).isEqualTo(port);
            assertThat(java.nio.file.Files.getLastModifiedTime(dir.resolve("port")).toMillis()).isEqualTo(modified);
        }
        // released on close: the directory can be used again
        new EmbeddedKafka(dir, 0).close();
    }

    @Test
    void restartOnTheSameDirectoryKeepsRecords(@TempDir Path dir) throws Exception {
        String bootstrap;
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
            bootstrap = kafka.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "client.id", "t", "acks", "all", "enable.idempotence", true), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "job-1", "hello")).get();
            }
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers(), "group.id", "reader", "client.id", "reader", "enable.auto.commit", false,
                    "isolation.level", "read_committed", "auto.offset.reset", "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("kept"));
                List<String> values = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.key() + "=" + r.value()));
                }
                assertThat(values).containsExactly("job-1=hello");
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("kept");
            }
        }
    }
}
