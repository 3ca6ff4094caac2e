package io.argus.aggregator.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackSummary;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

/**
 * The aggregator topology in a TopologyTestDriver with the tracking topics read: the real topic names
 * and Avro serdes. {@link #moveStoresTo} copies the tracking stores to another driver, as a process
 * restoring them from their changelogs after a crash would have them.
 */
final class TrackingDriver implements AutoCloseable {

    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, FrameEvent> frames;
    private final TestInputTopic<String, FrameResult> results;
    private final TestInputTopic<String, JobControl> control;
    private final TestOutputTopic<String, TrackFrame> tracks;
    private final TestOutputTopic<String, TrackSummary> summaries;
    private final TestOutputTopic<String, TrafficCount> counts;
    private final TestOutputTopic<String, io.argus.schemas.avro.PlateEvent> plates;
    private final TestOutputTopic<String, io.argus.schemas.avro.FaceEvent> faces;
    private final TestInputTopic<String, io.argus.schemas.avro.IdentityInput> identityCommands;
    private final TestOutputTopic<String, io.argus.schemas.avro.Identity> identities;

    TrackingDriver() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), "argus.");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-tracking-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            stateDir = Files.createTempDirectory("aggregator-tracking-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AggregatorTopology.build(topics), props, AggregatorDriver.START);
        frames = driver.createInputTopic(topics.frames().name(), topics.frames().keySerde().serializer(),
                topics.frames().valueSerde().serializer());
        results = driver.createInputTopic(topics.frameResults().name(), topics.frameResults().keySerde().serializer(),
                topics.frameResults().valueSerde().serializer());
        control = driver.createInputTopic(topics.control().name(), topics.control().keySerde().serializer(),
                topics.control().valueSerde().serializer());
        tracks = driver.createOutputTopic(topics.tracks().name(), topics.tracks().keySerde().deserializer(),
                topics.tracks().valueSerde().deserializer());
        summaries = driver.createOutputTopic(topics.trackSummaries().name(),
                topics.trackSummaries().keySerde().deserializer(), topics.trackSummaries().valueSerde().deserializer());
        counts = driver.createOutputTopic(topics.counts().name(), topics.counts().keySerde().deserializer(),
                topics.counts().valueSerde().deserializer());
        plates = driver.createOutputTopic(topics.plates().name(), topics.plates().keySerde().deserializer(),
                topics.plates().valueSerde().deserializer());
        faces = driver.createOutputTopic(topics.faces().name(), topics.faces().keySerde().deserializer(),
                topics.faces().valueSerde().deserializer());
        identityCommands = driver.createInputTopic(topics.identityLog().name(),
                topics.identityLog().keySerde().serializer(), topics.identityLog().valueSerde().serializer());
        identities = driver.createOutputTopic(topics.identities().name(), topics.identities().keySerde().deserializer(),
                topics.identities().valueSerde().deserializer());
    }

    /** @return face events since the last call, with their keys */
    List<KeyValue<String, io.argus.schemas.avro.FaceEvent>> faces() {
        return faces.readKeyValuesToList();
    }

    /** @return identity records since the last call, with their keys (null values: tombstones) */
    List<KeyValue<String, io.argus.schemas.avro.Identity>> identities() {
        return identities.readKeyValuesToList();
    }

    /** @param command an identity command, as api-edge writes it */
    void pipe(io.argus.schemas.avro.IdentityCommand command) {
        identityCommands.pipeInput(io.argus.schemas.topics.Topics.IDENTITY_LOG_KEY,
                io.argus.schemas.avro.IdentityInput.newBuilder().setCommand(command).build());
    }

    /** @return plate events since the last call, with their keys */
    List<KeyValue<String, io.argus.schemas.avro.PlateEvent>> plates() {
        return plates.readKeyValuesToList();
    }

    void pipe(FrameEvent event) {
        frames.pipeInput(event.getJobId(), event);
    }

    void pipe(FrameResult result) {
        results.pipeInput(result.getJobId(), result);
    }

    void kill(String jobId) {
        control.pipeInput(jobId, JobControl.newBuilder().setJobId(jobId).setVideoId(Fixtures.VIDEO)
                .setAction(ControlAction.KILL).setReason("killed by test").setAtMs(0).build());
    }

    /** @return track records since the last call, with their keys */
    List<KeyValue<String, TrackFrame>> trackRecords() {
        return tracks.readKeyValuesToList();
    }

    /** @return track records since the last call */
    List<TrackFrame> tracks() {
        return tracks.readValuesToList();
    }

    /** @return track summaries since the last call */
    List<TrackSummary> summaries() {
        return summaries.readValuesToList();
    }

    /** @return count records since the last call */
    List<TrafficCount> counts() {
        return counts.readValuesToList();
    }

    /** @return entries of a store */
    long storeSize(String name) {
        KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
        long n = 0;
        try (KeyValueIterator<String, Object> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Copies every entry of the tracking stores into the other driver's. */
    void moveStoresTo(TrackingDriver other) {
        for (String name : List.of(AggregatorTopology.TRACKING_STORE, AggregatorTopology.TRACKING_PENDING_STORE,
                AggregatorTopology.JOBS_STORE, AggregatorTopology.OPS_STORE)) {
            KeyValueStore<String, Object> from = driver.getKeyValueStore(name);
            KeyValueStore<String, Object> to = other.driver.getKeyValueStore(name);
            List<KeyValue<String, Object>> all = new ArrayList<>();
            try (KeyValueIterator<String, Object> it = from.all()) {
                it.forEachRemaining(all::add);
            }
            all.forEach(kv -> to.put(kv.key, kv.value));
        }
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the driver may have removed it already
        }
    }
}
