package io.argus.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceUri;

/**
 * A transport stream whose timestamps start at 101.4 s (made with the ffmpeg CLI,
 * {@code -output_ts_offset 101.4}, 10 fps for 6 s): offsets, {@code ss} and {@code t} count from
 * its first frame as for a file starting at 0, and an {@code ss} past its end is refused with 400
 * "invalid starttime" from the container's duration.
 */
class StartTimeTest {

    @TempDir
    static Path dir;
    static Path ts;

    @BeforeAll
    static void makeVideo() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "needs the ffmpeg CLI");
        ts = dir.resolve("offset.ts");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=size=160x120:rate=10", "-t", "6", "-c:v", "mpeg2video", "-g", "10",
                "-output_ts_offset", "101.4", "-f", "mpegts", ts.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void offsetsCountFromTheFirstFrame() throws Exception {
        assertThat(offsets(SamplingSpec.every(1000))).containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L);
    }

    @Test
    void ssAndTCountFromTheFirstFrame() throws Exception {
        assertThat(offsets(new SamplingSpec(false, 1000, 2000, 2000))).containsExactly(2000L, 3000L);
    }

    @Test
    void ssPastTheEndIsAnInvalidStartTime() {
        long t0 = System.nanoTime();
        SourceException e = catchThrowableOfType(() -> offsets(new SamplingSpec(false, 1000, 7000, -1)),
                SourceException.class);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("invalid starttime");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    private static List<Long> offsets(SamplingSpec spec) throws Exception {
        List<Long> offsets = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(ts.toString()), spec)) {
            SampledFrame f;
            while ((f = s.next()) != null) {
                offsets.add(f.offsetMs());
            }
        }
        return offsets;
    }
}
