package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HookOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("argus.hooks", 0);
    private static final TopicPartition P1 = new TopicPartition("argus.hooks", 1);

    @Test
    void commitsTheLowestUnfinishedAndListsTheDoneBeyondIt() {
        HookOffsets o = new HookOffsets();
        o.assigned(P0, null);
        for (long off = 0; off < 6; off++) {
            o.started(P0, off);
        }
        assertThat(o.toCommit()).isEmpty(); // no progress yet
        o.finished(P0, 0);
        o.finished(P0, 2);
        o.finished(P0, 3);
        o.finished(P0, 5);
        Map<TopicPartition, OffsetAndMetadata> c = o.toCommit();
        assertThat(c.get(P0).offset()).isEqualTo(1);
        assertThat(CommitMetadataCodec.decode(1, c.get(P0).metadata())).containsExactly(2L, 3L, 5L);
        assertThat(o.inFlight()).isEqualTo(2);

        o.committed(c);
        assertThat(o.toCommit()).isEmpty(); // nothing new

        o.finished(P0, 1);
        c = o.toCommit();
        assertThat(c.get(P0).offset()).isEqualTo(4);
        assertThat(CommitMetadataCodec.decode(4, c.get(P0).metadata())).containsExactly(5L);
        o.committed(c);

        o.finished(P0, 4);
        c = o.toCommit();
        assertThat(c.get(P0)).isEqualTo(new OffsetAndMetadata(6, ""));
    }

    @Test
    void aNewOwnerSkipsTheCallsListedInTheCommit() {
        HookOffsets first = new HookOffsets();
        first.assigned(P0, null);
        for (long off = 10; off < 15; off++) {
            first.started(P0, off);
        }
        first.finished(P0, 11);
        first.finished(P0, 13);
        first.finished(P0, 14);
        OffsetAndMetadata committed = first.toCommit().get(P0);
        assertThat(committed.offset()).isEqualTo(10);

        HookOffsets next = new HookOffsets();
        next.assigned(P0, committed);
        assertThat(next.toSkip(P0)).containsExactly(11L, 13L, 14L);
        assertThat(next.skipIfDone(P0, 10)).isFalse();
        next.started(P0, 10);
        assertThat(next.skipIfDone(P0, 11)).isTrue();
        assertThat(next.skipIfDone(P0, 12)).isFalse();
        next.started(P0, 12);
        assertThat(next.skipIfDone(P0, 13)).isTrue();
        assertThat(next.skipIfDone(P0, 14)).isTrue();
        assertThat(next.skipIfDone(P0, 15)).isFalse();
        // 10 and 12 still to deliver: the skipped ones stay listed, as already committed
        assertThat(next.toCommit()).isEmpty();
        next.finished(P0, 12);
        Map<TopicPartition, OffsetAndMetadata> c = next.toCommit();
        assertThat(c.get(P0).offset()).isEqualTo(10);
        assertThat(CommitMetadataCodec.decode(10, c.get(P0).metadata())).containsExactly(11L, 12L, 13L, 14L);
        next.finished(P0, 10);
        next.finished(P0, 12);
        assertThat(next.toCommit().get(P0)).isEqualTo(new OffsetAndMetadata(15, ""));
    }

    @Test
    void epochsChangeWithEachAssignmentAndRevokedPartitionsAreForgotten() {
        HookOffsets o = new HookOffsets();
        int e1 = o.assigned(P0, null);
        o.assigned(P1, null);
        o.started(P0, 1);
        assertThat(o.isCurrent(P0, e1)).isTrue();
        o.revoked(P0);
        assertThat(o.isCurrent(P0, e1)).isFalse();
        assertThat(o.epoch(P0)).isZero();
        assertThat(o.inFlight()).isZero();
        int e2 = o.assigned(P0, new OffsetAndMetadata(1));
        assertThat(e2).isNotEqualTo(e1);
        assertThat(o.assignedPartitions()).containsExactlyInAnyOrder(P0, P1);
        assertThat(o.toCommit()).isEmpty();
    }

    @Test
    void refusesRecordsBeforeTheMetadataCouldOutgrowItsLimit() {
        int cap = 200;
        HookOffsets o = new HookOffsets(cap);
        o.assigned(P0, null);
        o.started(P0, 0); // stuck: the commit position stays at 0
        long off = 1;
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            if (!o.hasRoom(P0, off)) {
                refused++;
                // what is in flight finishes; then the encoding must still fit
                for (long r = 1; r < off; r += 3) {
                    o.finished(P0, r);
                }
                String md = o.toCommit().get(P0).metadata();
                assertThat(md.length()).isLessThanOrEqualTo(cap).isGreaterThan(cap / 3);
                break;
            }
            o.started(P0, off);
            off += 3; // sparse: every done offset is its own run
        }
        assertThat(refused).isEqualTo(1);
        assertThat(o.overflows()).isZero();
        // once the stuck call is done, everything commits and room is back
        o.finished(P0, 0);
        assertThat(o.toCommit().get(P0).metadata()).isEmpty();
        o.committed(o.toCommit());
        assertThat(o.hasRoom(P0, off)).isTrue();
    }

    @Test
    void withNothingInFlightThereIsAlwaysRoom() {
        HookOffsets o = new HookOffsets(30);
        o.assigned(P0, null);
        assertThat(o.hasRoom(P0, Long.MAX_VALUE / 2)).isTrue();
    }
}
