package io.argus.edge.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.argus.edge.request.JobRequestParser;
import io.argus.edge.request.WaitingStatus;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

class KafkaJobSinkTest {

    @Test
    void unreachableBrokerFailsTheSubmissionWithinTheTimeout() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        JobRequest request = new JobRequestParser(Set.of("pulp"))
                .parse("v", "{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[{\"op\":\"pulp\"}]}");
        long t0 = System.nanoTime();
        try (KafkaJobSink sink = new KafkaJobSink(topics, new KafkaSettings("127.0.0.1:1", 1, (short) 1),
                Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> sink.submit(WaitingStatus.of(request), request))
                    .isInstanceOf(JobSinkException.class)
                    .hasMessageContaining(request.getJobId());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }
}
