package io.argus.launcher.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Label;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.serde.ConfluentAvroSerde;
import io.argus.schemas.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus results}: a subscriber of the per-frame results topic, printing one JSON line per
 * record. It is the README's consumer example made runnable: a plain {@link KafkaConsumer} with
 * {@code isolation.level=read_committed} and the Confluent wire-format Avro deserializer, schemas
 * fetched from a Confluent-compatible registry (the embedded server's HTTP port serves one).
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Print per-frame results from argus.frame-results as JSON lines (read_committed).")
public final class ResultsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:ARGUS_BOOTSTRAP_SERVERS}",
            description = "Kafka cluster (default: the embedded broker of --data-dir, from data/kafka/port).")
    String bootstrapServers;

    @Option(names = "--data-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}", description = "Data directory of the embedded server.")
    Path dataDir;

    @Option(names = "--schema-registry-url", defaultValue = "${env:ARGUS_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8080}",
            description = "Confluent-compatible schema registry (default ${DEFAULT-VALUE}: the embedded server).")
    String registryUrl;

    @Option(names = "--job", description = "Only this job's results.")
    String job;

    @Option(names = "--group", description = "Consumer group; default: a fresh one, reading from the beginning.")
    String group;

    @Option(names = "--max", defaultValue = "-1", description = "Stop after this many records (default: run until interrupted).")
    long max;

    @Option(names = "--idle-timeout", defaultValue = "-1",
            description = "Stop after this many seconds without a record (default: never).")
    long idleSeconds;

    @Override
    public Integer call() throws Exception {
        String bootstrap = bootstrapServers;
        if (bootstrap == null || bootstrap.isBlank()) {
            bootstrap = "127.0.0.1:" + Files.readString(dataDir.resolve("kafka/port")).trim();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group != null ? group : "argus-results-" + UUID.randomUUID());
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        var registry = new RestSchemaRegistry(registryUrl, Duration.ofSeconds(10));
        var values = new ConfluentAvroSerde<>(registry, FrameResult.class);
        ObjectMapper json = new ObjectMapper();
        PrintStream out = System.out;
        long printed = 0;
        long idleSince = System.nanoTime();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), values.deserializer())) {
            consumer.subscribe(List.of(Topics.DEFAULT_PREFIX + "frame-results"));
            while (max < 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && idleSeconds >= 0
                        && System.nanoTime() - idleSince > Duration.ofSeconds(idleSeconds).toNanos()) {
                    break;
                }
                for (ConsumerRecord<String, FrameResult> r : records) {
                    idleSince = System.nanoTime();
                    if (job != null && !job.equals(r.key())) {
                        continue;
                    }
                    out.println(json.writeValueAsString(line(json, r.value())));
                    if (max >= 0 && ++printed >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private static ObjectNode line(ObjectMapper json, FrameResult f) {
        ObjectNode n = json.createObjectNode();
        n.put("job_id", f.getJobId());
        n.put("video_id", f.getVideoId());
        n.put("op", f.getOp());
        n.put("seq", f.getSeq());
        n.put("offset_ms", f.getOffsetMs());
        if (f.getCaptureTimeMs() != null) {
            n.put("capture_time_ms", f.getCaptureTimeMs());
        }
        ArrayNode labels = n.putArray("labels");
        for (Label l : f.getLabels()) {
            labels.addObject().put("label", l.getLabel()).put("score", l.getScore());
        }
        n.put("uri", f.getUri());
        if (f.getError() != null) {
            n.put("error", f.getError());
        }
        return n;
    }
}
