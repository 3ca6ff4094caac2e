package io.argus.launcher;

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

import io.argus.launcher.kafka.EmbeddedKafka;
import io.argus.schemas.kafka.KafkaSettings;

/** The embedded broker keeps its data across a restart on the same directory. */
class EmbeddedKafkaTest {

    @Test
    void restartOnTheSameDirectoryKeepsRecords(@TempDir Path dir) throws Exception {
        String bootstrap;
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
            bootstrap = kafka.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            KafkaSettings s = new KafkaSettings(bootstrap, 1, (short) 1);
            try (Admin admin = Admin.create(s.admin())) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(s.producer("t", null), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "job-1", "hello")).get();
            }
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0).start()) {
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            KafkaSettings s = new KafkaSettings(kafka.bootstrapServers(), 1, (short) 1);
            try (var consumer = new KafkaConsumer<>(s.consumer("reader", "reader"), new StringDeserializer(),
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
