package io.argus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class AggregatorAppTest {

    private static final KafkaSettings SETTINGS = new KafkaSettings("127.0.0.1:9", 4, (short) 3);

    @TempDir
    Path stateDir;

    @Test
    void configIsExactlyOnceWithStaticMembership() {
        Properties p = AggregatorApp.streamsConfig(SETTINGS, stateDir, "node-7", 2);

        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("argus-aggregator");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100);
        assertThat(p.get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)))
                .isEqualTo("argus-aggregator-node-7");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(p.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(p.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(stateDir.toAbsolutePath().toString());
        assertThat(new StreamsConfig(p).getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("127.0.0.1:9");
    }

    @Test
    void zeroThreadsIsRefused() {
        assertThatThrownBy(() -> AggregatorApp.streamsConfig(SETTINGS, stateDir, "x", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void beforeStartTheAppIsNotRunningAndKnowsNoJob() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), "argus.");
        try (AggregatorApp app = new AggregatorApp(SETTINGS, topics, stateDir, "test", 1, new SimpleMeterRegistry())) {
            assertThat(app.state()).isEqualTo(KafkaStreams.State.CREATED);
            assertThat(app.isRunning()).isFalse();
            assertThat(app.job("job-1")).isEmpty();
        }
    }
}
