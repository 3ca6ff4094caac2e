package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class CommitMetadataCodecTest {

    private static TreeSet<Long> set(long... offsets) {
        TreeSet<Long> s = new TreeSet<>();
        for (long o : offsets) {
            s.add(o);
        }
        return s;
    }

    @Test
    void documentedExample() {
        assertThat(CommitMetadataCodec.encode(100, set(101, 102, 103, 110))).isEqualTo("h1:2s:1+2,6");
        assertThat(CommitMetadataCodec.decode(100, "h1:2s:1+2,6")).containsExactly(101L, 102L, 103L, 110L);
    }

    @Test
    void roundTrips() {
        List<TreeSet<Long>> cases = List.of(set(), set(5), set(5, 6), set(6, 8, 10), set(5, 7, 8, 9, 20, 21, 1000),
                set(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1));
        for (TreeSet<Long> c : cases) {
            long base = c.isEmpty() ? 5 : Math.min(5, c.first());
            String s = CommitMetadataCodec.encode(base, c);
            assertThat(CommitMetadataCodec.decode(base, s)).as(s).isEqualTo(c);
        }
        long big = 9_876_543_210L;
        TreeSet<Long> far = set(big + 1, big + 3, big + 4, big + 100_000);
        assertThat(CommitMetadataCodec.decode(big, CommitMetadataCodec.encode(big, far))).isEqualTo(far);
    }

    @Test
    void randomSetsRoundTrip() {
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            long base = rnd.nextInt(1_000_000);
            TreeSet<Long> s = new TreeSet<>();
            int n = rnd.nextInt(200);
            long o = base;
            for (int k = 0; k < n; k++) {
                o += rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(500) : 1;
                s.add(o);
            }
            String enc = CommitMetadataCodec.encode(base, s);
            assertThat(CommitMetadataCodec.decode(base, enc)).isEqualTo(s);
        }
    }

    @Test
    void emptyAndOffsetsBelowTheBaseEncodeAsNothing() {
        assertThat(CommitMetadataCodec.encode(10, set())).isEmpty();
        assertThat(CommitMetadataCodec.encode(10, set(3, 9))).isEmpty();
        assertThat(CommitMetadataCodec.encode(10, set(3, 9, 12))).isEqualTo(CommitMetadataCodec.encode(10, set(12)));
    }

    @Test
    void longRunsAreCompact() {
        TreeSet<Long> run = new TreeSet<>();
        for (long o = 1_000_001; o <= 1_100_000; o++) {
            run.add(o);
        }
        String s = CommitMetadataCodec.encode(1_000_000, run);
        assertThat(s.length()).isLessThan(20);
        assertThat(CommitMetadataCodec.decode(1_000_000, s)).hasSize(100_000);
    }

    @Test
    void decodeKeepsOnlyOffsetsAtOrAboveTheCommittedOne() {
        String s = CommitMetadataCodec.encode(100, set(101, 102, 110));
        assertThat(CommitMetadataCodec.decode(102, s)).containsExactly(102L, 110L);
    }

    @Test
    void foreignOrMalformedMetadataMeansNothingToSkip() {
        for (String bad : new String[] {null, "", "hello", "h1:", "h1:zz", "h1:2s:", "h1:2s:1+", "h1:2s:-1",
                "h1:2s:1,,2", "h1:2s:!", "h2:2s:1", "h1:2s:1+-3", "h1:2s:zzzzzzzzzzzzzzzzz"}) {
            assertThat(CommitMetadataCodec.decode(100, bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void encodingAboveTheCapIsRefused() {
        TreeSet<Long> sparse = new TreeSet<>();
        for (long o = 0; o < 2_000; o++) {
            sparse.add(o * 1000 + 1); // every entry ~3 chars: well above 4000
        }
        assertThat(CommitMetadataCodec.length(0, sparse)).isGreaterThan(CommitMetadataCodec.MAX_CHARS);
        assertThatThrownBy(() -> CommitMetadataCodec.encode(0, sparse)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneOffsetNeverGrowsAnEncodingMoreThanMaxGrowth() {
        Random rnd = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            long base = rnd.nextInt(100_000);
            TreeSet<Long> s = new TreeSet<>();
            int n = rnd.nextInt(60);
            for (int k = 0; k < n; k++) {
                s.add(base + 1 + rnd.nextInt(5_000));
            }
            long x = base + rnd.nextInt(5_000);
            int before = CommitMetadataCodec.length(base, s);
            s.add(x);
            int after = CommitMetadataCodec.length(base, s);
            int bound = CommitMetadataCodec.maxGrowth(base, x) + (before == 0 ? CommitMetadataCodec.headerLength(base) : 0);
            assertThat(after - before).as("base %d, +%d", base, x).isLessThanOrEqualTo(bound);
        }
    }
}
