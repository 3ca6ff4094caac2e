package io.argus.launcher.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.frames.StoredFrames;
import io.argus.edge.request.JobRequestParser;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.serde.ConfluentAvroSerde;
import io.argus.schemas.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus results}: a subscriber of the per-frame results topic, printing one JSON line per
 * record with every field of {@link FrameResult}. It is the README's consumer example made
 * runnable: a plain {@link KafkaConsumer} with {@code isolation.level=read_committed} and the
 * Confluent wire-format Avro deserializer, schemas fetched from a Confluent-compatible registry.
 *
 * <p>Without {@code --bootstrap-servers}, the broker and the registry are those of the server
 * running on {@code --data-dir} ({@code <data-dir>/server.json}, {@link ServerRecord}). With
 * {@code --job}, only the job's partition is read: records are keyed by job id, so the partition
 * is Kafka's default partitioner's, {@code toPositive(murmur2(key)) % partitions}
 * ({@code BuiltInPartitioner.partitionForKey}). The API key in {@code ARGUS_API_KEY}, if any,
 * goes to the registry and the API. {@code --from} chooses where a reader without
 * committed offsets starts; by default {@code latest} when following a live job that still runs,
 * {@code beginning} otherwise.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Print per-frame results from argus.frame-results as JSON lines (read_committed), one per record "
                + "with every FrameResult field.")
public final class ResultsCommand implements Callable<Integer> {

    /** Where a reader without committed offsets starts. */
    enum From { beginning, latest }

    @Option(names = "--bootstrap-servers", defaultValue = "${env:ARGUS_BOOTSTRAP_SERVERS}",
            description = "Kafka cluster (env ARGUS_BOOTSTRAP_SERVERS; default: the broker of the server running on --data-dir, from <data-dir>/server.json).")
    String bootstrapServers;

    @Option(names = "--data-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}",
            description = "Data directory of the running server (env ARGUS_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--schema-registry-url", defaultValue = "${env:ARGUS_SCHEMA_REGISTRY_URL}",
            description = "Confluent-compatible schema registry (env ARGUS_SCHEMA_REGISTRY_URL; default: the HTTP API of the server running on --data-dir, which serves one).")
    String registryUrl;

    @Option(names = "--job", description = "Only this job's results (reads only the job's partition).")
    String job;

    @Option(names = "--from", paramLabel = "beginning|latest",
            description = "Where to start without committed offsets: beginning or latest (default: latest when --job is a live job still running, else beginning).")
    From from;

    @Option(names = "--group", description = "Consumer group, whose committed offsets are resumed; default: a fresh one.")
    String group;

    @Option(names = "--max", defaultValue = "-1", description = "Stop after this many records (default: run until interrupted).")
    long max;

    @Option(names = "--idle-timeout", defaultValue = "-1",
            description = "Stop after this many seconds without a record (default: never).")
    long idleSeconds;

    @Override
    public Integer call() throws Exception {
        String bootstrap = blank(bootstrapServers) ? null : bootstrapServers;
        String registry = blank(registryUrl) ? null : registryUrl;
        String api = null;
        if (bootstrap == null || registry == null) {
            Optional<ServerRecord> server = ServerRecord.live(dataDir);
            if (server.isEmpty()) {
                throw new UserException(1, "no Argus server is running on data directory " + dataDir
                        + ": start one with ./argus server" + (dataDir.toString().equals("data") ? "" : " --data-dir " + dataDir)
                        + ", or give --bootstrap-servers and --schema-registry-url");
            }
            ServerRecord s = server.get();
            api = s.httpUrl();
            bootstrap = bootstrap != null ? bootstrap : s.bootstrapServers();
            registry = registry != null ? registry : s.httpUrl();
            if (registry == null) {
                throw new UserException(1, DataDirLock.inUse(dataDir, s) + ", which serves no schema registry: "
                        + "give --schema-registry-url (an Argus edge's HTTP address, or a Confluent-compatible registry)");
            }
        }
        From start = from != null ? from : defaultFrom(api != null ? api : registry);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group != null ? group : "argus-results-" + UUID.randomUUID());
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", start == From.beginning ? "earliest" : "latest");
        p.put("default.api.timeout.ms", "15000");
        // a registry behind API keys (an Argus edge with keys) takes the client's key
        var values = new ConfluentAvroSerde<>(new RestSchemaRegistry(registry, Duration.ofSeconds(10),
                System.getenv(ApiClient.KEY_ENV)), FrameResult.class);
        String topic = Topics.DEFAULT_PREFIX + "frame-results";
        PrintStream out = System.out;
        long printed = 0;
        long idleSince = System.nanoTime();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), values.deserializer())) {
            if (job != null) {
                consumer.assign(List.of(new TopicPartition(topic, partitionOf(job, partitions(consumer, topic, bootstrap)))));
            } else {
                consumer.subscribe(List.of(topic));
            }
            while (max < 0 || printed < max) {
                var records = poll(consumer, registry);
                if (records.isEmpty() && idleSeconds >= 0
                        && System.nanoTime() - idleSince > Duration.ofSeconds(idleSeconds).toNanos()) {
                    break;
                }
                for (ConsumerRecord<String, FrameResult> r : records) {
                    idleSince = System.nanoTime();
                    if (job != null && !job.equals(r.key())) {
                        continue;
                    }
                    out.println(line(r.value(), api));
                    if (max >= 0 && ++printed >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * @param jobId      a job id (the record key)
     * @param partitions the topic's partition count
     * @return the partition Kafka's default partitioner gives the key:
     *         {@code Utils.toPositive(Utils.murmur2(key)) % partitions}
     */
    public static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int partitions(KafkaConsumer<?, ?> consumer, String topic, String bootstrap) {
        List<PartitionInfo> info;
        try {
            info = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        } catch (KafkaException e) {
            throw new UserException(1, "cannot reach Kafka at " + bootstrap + ": " + ArgusCommand.messages(e));
        }
        if (info == null || info.isEmpty()) {
            throw new UserException(1, "topic " + topic + " not found on Kafka at " + bootstrap
                    + " (did a server ever run there?)");
        }
        return info.size();
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecords<String, FrameResult> poll(
            KafkaConsumer<String, FrameResult> consumer, String registry) {
        try {
            return consumer.poll(Duration.ofMillis(500));
        } catch (RecordDeserializationException e) {
            throw new UserException(1, "cannot decode the record at " + e.topicPartition() + " offset " + e.offset()
                    + " with the schema registry at " + registry + ": " + ArgusCommand.messages(e.getCause() == null ? e : e.getCause())
                    + " (is the server's HTTP API there? give --schema-registry-url)");
        }
    }

    /** latest for a live job that still runs (asked of the server's API), beginning otherwise. */
    private From defaultFrom(String api) {
        if (job == null || api == null) {
            return From.beginning;
        }
        try {
            ApiClient.Answer a = ApiClient.fromEnvironment(api).get("/v1/jobs/video/" + job);
            if (a.status() != 200 || a.body() == null) {
                return From.beginning;
            }
            String status = a.body().path("status").asText();
            boolean running = status.equals("WAITING") || status.equals("DOING");
            return running && JobRequestParser.isLive(a.body().path("request").path("data").path("uri").asText(""))
                    ? From.latest : From.beginning;
        } catch (UserException e) {
            return From.beginning;
        }
    }

    /**
     * @param f   a per-frame result
     * @param api the HTTP API serving the frames, or null
     * @return one JSON line with every field of the record's schema, by its Avro name (nested
     *         records as objects, null as null), then {@code "url"}: where the edge serves the
     *         frame ({@code GET /v1/frames?uri=…}; absolute when the server's address is known,
     *         else relative to the API), when the frame was stored
     */
    static String line(FrameResult f, String api) {
        ObjectNode o = (ObjectNode) toJson(f);
        if (f.getUri() != null) {
            o.put("url", (api == null ? "" : api) + StoredFrames.url(f.getUri()));
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode toJson(Object v) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        if (v == null) {
            return n.nullNode();
        }
        if (v instanceof GenericRecord r) {
            ObjectNode o = n.objectNode();
            for (Schema.Field field : r.getSchema().getFields()) {
                o.set(field.name(), toJson(r.get(field.pos())));
            }
            return o;
        }
        if (v instanceof Iterable<?> list) {
            ArrayNode a = n.arrayNode();
            list.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = n.objectNode();
            map.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
            return o;
        }
        if (v instanceof Integer i) {
            return n.numberNode(i);
        }
        if (v instanceof Long l) {
            return n.numberNode(l);
        }
        if (v instanceof Float fl) {
            return n.numberNode(fl);
        }
        if (v instanceof Double d) {
            return n.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return n.booleanNode(b);
        }
        return n.textNode(v.toString());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
