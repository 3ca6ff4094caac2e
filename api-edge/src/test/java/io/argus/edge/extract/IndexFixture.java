package io.argus.edge.extract;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowStats;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

/**
 * {@link ExtractionIndex#topology} in a {@code TopologyTestDriver} (global RocksDB stores, no
 * broker), with helpers writing items and statuses the way ingest and the flow workers do. All
 * access to the driver is synchronized on this fixture (the HTTP tests use it from server threads).
 */
public final class IndexFixture implements AutoCloseable {

    public final Topics topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ExtractedItem> extracted;
    private final TestInputTopic<String, ExtractionStatus> statuses;

    public IndexFixture(Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "extraction-index-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        driver = new TopologyTestDriver(ExtractionIndex.topology(topics), p);
        extracted = driver.createInputTopic(topics.extracted().name(), new StringSerializer(),
                topics.extracted().valueSerde().serializer());
        statuses = driver.createInputTopic(topics.extractionStatus().name(), new StringSerializer(),
                topics.extractionStatus().valueSerde().serializer());
    }

    /** @return the index store, as {@link ExtractionIndex} exposes it */
    public synchronized KeyValueStore<String, ExtractedItem> itemStore() {
        return driver.getKeyValueStore(ExtractionIndex.ITEMS_STORE);
    }

    /** @return the request store */
    public synchronized KeyValueStore<String, ExtractionStatus> statusStore() {
        return driver.getKeyValueStore(ExtractionIndex.REQUESTS_STORE);
    }

    /** @return a catalogue over the driver's stores, with the given clock */
    public ExtractionCatalog catalog(java.util.function.LongSupplier clockMs) {
        return new ExtractionCatalog(this::itemStore, this::statusStore, clockMs, ExtractionCatalog.DEFAULT_OVERLAY_TTL);
    }

    public synchronized void put(ExtractedItem item) {
        extracted.pipeInput(ExtractionIds.itemKey(item), item);
    }

    public synchronized void put(ExtractionStatus status) {
        statuses.pipeInput(status.getRequestId(), status);
    }

    public synchronized void tombstoneItem(String key) {
        extracted.pipeInput(key, null);
    }

    public synchronized void tombstoneStatus(String requestId) {
        statuses.pipeInput(requestId, null);
    }

    public static ExtractionStatus status(String id, ExtractionKind kind, String pattern, String video,
                                          ExtractionState state, long frames, long createdAt) {
        return ExtractionStatus.newBuilder()
                .setRequestId(id).setKind(kind).setVideoId(video).setUri("/videos/" + video + ".mp4")
                .setPattern(pattern).setState(state)
                .setError(state == ExtractionState.FAILED
                        ? ErrorInfo.newBuilder().setCode(404).setMessage("cannot open the video").build() : null)
                .setFrames(frames).setRequestJson("{\"uri\":\"/videos/" + video + ".mp4\",\"pattern\":\"" + pattern + "\"}")
                .setCreatedAt(createdAt).setUpdatedAt(createdAt + 1000).build();
    }

    public static ExtractedItem frame(String id, String pattern, String video, long seq) {
        return ExtractedItem.newBuilder()
                .setRequestId(id).setKind(ExtractionKind.FRAME).setVideoId(video).setPattern(pattern)
                .setSeq(seq).setOffsetMs(seq * 5000).setUri("file:///store/extractions/" + id + "/" + seq + ".jpg")
                .setWidth(768).setHeight(576).setCreatedAt(1_000L + seq).build();
    }

    public static ExtractedItem flow(String id, String pattern, String video, long seq) {
        return ExtractedItem.newBuilder()
                .setRequestId(id).setKind(ExtractionKind.FLOW).setVideoId(video).setPattern(pattern)
                .setSeq(seq).setOffsetMs(seq * 1000).setUri("file:///store/extractions/" + id + "/" + seq + ".flo")
                .setWidth(384).setHeight(288)
                .setFrameUri("file:///store/extractions/" + id + "/" + seq + ".jpg")
                .setPairOffsetMs(seq * 1000 + 40)
                .setVisualizationUri("file:///store/extractions/" + id + "/" + seq + "-flow.jpg")
                .setStats(FlowStats.newBuilder().setMeanPx(1.5).setP95Px(4.25).setMovingFraction(0.3)
                        .setDirectionDeg(seq == 0 ? null : 90.0).build())
                .setAlgorithm("DIS/FAST").setCreatedAt(2_000L + seq).build();
    }

    @Override
    public synchronized void close() {
        driver.close();
    }
}
