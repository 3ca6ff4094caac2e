package io.argus.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A job's frames go round the partitions from the job's own partition, the producer's default. */
class FramePartitionsTest {

    @Test
    void homeIsTheDefaultPartitionersChoiceForTheJobIdAsKey() {
        for (int i = 0; i < 200; i++) {
            String job = "job-" + i + "-é";
            for (int n : new int[] {1, 3, 4, 12}) {
                assertThat(FramePartitions.home(job, n))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(job.getBytes(StandardCharsets.UTF_8), n));
            }
        }
    }

    @Test
    void consecutiveFramesGoRoundEveryPartitionEvenly() {
        Map<Integer, Integer> counts = new HashMap<>();
        String job = "7f1c2d";
        for (long seq = 0; seq < 120; seq++) {
            int p = FramePartitions.of(job, seq, 12);
            assertThat(p).isBetween(0, 11);
            counts.merge(p, 1, Integer::sum);
        }
        assertThat(FramePartitions.of(job, 0, 12)).isEqualTo(FramePartitions.home(job, 12));
        assertThat(FramePartitions.of(job, 1, 12)).isEqualTo((FramePartitions.home(job, 12) + 1) % 12);
        assertThat(counts).hasSize(12).allSatisfy((p, n) -> assertThat(n).isEqualTo(10));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> FramePartitions.of("j", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FramePartitions.of("j", -1, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
