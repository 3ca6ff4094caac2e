package io.argus.edge.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

class KafkaControlSinkTest {

    @Test
    void unreachableBrokerFailsTheSendWithinTheTimeout() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        JobControl kill = JobControl.newBuilder().setJobId("job-7").setVideoId("v").setAction(ControlAction.KILL)
                .setAtMs(System.currentTimeMillis()).build();
        long t0 = System.nanoTime();
        try (KafkaControlSink sink = new KafkaControlSink(topics, new KafkaSettings("127.0.0.1:1", 1, (short) 1),
                Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> sink.send(kill))
                    .isInstanceOf(ControlSinkException.class)
                    .hasMessageContaining("job-7")
                    .hasMessageContaining("KILL");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }
}
