package io.argus.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.sampling.FrameSource;
import io.argus.extractor.sampling.LiveOptions;
import io.argus.extractor.sampling.LiveSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;
import io.argus.testkit.servers.RtspTestServer;

/**
 * Live sampling against real servers on loopback: Debian nginx with libnginx-mod-rtmp fed by an
 * ffmpeg publisher looping vtest.avi (H.264, one keyframe a second), and gst-rtsp-server.
 */
class LiveSamplerTest {

    @TempDir
    static Path runDir;
    static RtmpTestServer rtmp;
    static Path clip;

    @BeforeAll
    static void server() throws Exception {
        clip = SampleVideos.h264Loop("vtest.avi", 20, 10);
        rtmp = RtmpTestServer.start(runDir.resolve("rtmp"));
    }

    @AfterAll
    static void stop() {
        if (rtmp != null) {
            rtmp.close();
        }
    }

    @Test
    void framesArriveAtTheIntervalWithCaptureTimes() throws Exception {
        try (ExternalProcess publisher = rtmp.publish("steady", clip);
             FrameSource s = FrameSource.open(SourceOpener.UNRESTRICTED, SourceUri.parse(rtmp.url("steady")), SamplingSpec.every(500),
                     LiveOptions.withTimeout(5000), () -> false)) {
            assertThat(s.info().width()).isEqualTo(768);
            assertThat(s.info().height()).isEqualTo(576);
            List<SampledFrame> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                SampledFrame f = s.next();
                assertThat(f).isNotNull();
                assertThat(f.image().imageWidth).isEqualTo(768);
                assertThat(Math.abs(f.captureTimeMs() - System.currentTimeMillis())).isLessThan(1000);
                frames.add(new SampledFrame(f.offsetMs(), f.keyframe(), null, f.captureTimeMs()));
            }
            assertThat(frames.get(0).offsetMs()).isEqualTo(0);
            for (int i = 1; i < frames.size(); i++) {
                long step = frames.get(i).offsetMs() - frames.get(i - 1).offsetMs();
                assertThat(step).isBetween(500L, 700L);
                long wall = frames.get(i).captureTimeMs() - frames.get(i - 1).captureTimeMs();
                assertThat(wall).as("real-time stream: wall time follows offsets").isBetween(200L, 900L);
            }
            assertThat(rtmp.players("steady")).isEqualTo(1);
        }
    }

    @Test
    void aPhasedGridKeepsTheFirstFrameThenSamplesOnItsPhaseOfTheWallClock() throws Exception {
        LiveOptions options = LiveOptions.withTimeout(5000).withPhase(450);
        try (ExternalProcess publisher = rtmp.publish("phased", clip);
             FrameSource s = FrameSource.open(SourceOpener.UNRESTRICTED, SourceUri.parse(rtmp.url("phased")),
                     SamplingSpec.every(1000), options, () -> false)) {
            SampledFrame first = s.next();
            assertThat(first.offsetMs()).as("the first frame at once").isEqualTo(0);
            // the offset at which the wall clock, reckoned from the first frame, next reads 450 mod 1000
            long target = Math.floorMod(450 - first.captureTimeMs(), 1000L);
            for (int i = 0; i < 3; i++) {
                long offset = s.next().offsetMs();
                assertThat(offset).as("frame %d: the first at or after offset %d", i + 1, target)
                        .isBetween(target, target + 150);
                target += 1000;
            }
        }
    }

    @Test
    void aReturningPublisherIsReadAgainWithOffsetsStillIncreasing() throws Exception {
        ExternalProcess publisher = rtmp.publish("outage", clip);
        try (LiveSampler s = LiveSampler.open(SourceUri.parse(rtmp.url("outage")), SamplingSpec.every(200),
                LiveOptions.withTimeout(10_000), () -> false)) {
            long before = 0;
            for (int i = 0; i < 5; i++) {
                before = s.next().offsetMs();
            }
            publisher.kill();
            Thread.sleep(1500);
            publisher = rtmp.publish("outage", clip);
            long back = System.currentTimeMillis();
            SampledFrame first = s.next();
            long resumed = System.currentTimeMillis();
            System.out.printf("live resume: first frame decoded %d ms after the stream's return%n",
                    first.captureTimeMs() - back);
            assertThat(first.captureTimeMs() - back).as("resumed within 2 s of the stream's return")
                    .isLessThan(2000);
            assertThat(resumed - back).isLessThan(2500);
            assertThat(first.offsetMs()).as("offsets go on, outage included").isGreaterThan(before + 1500);
            long previous = first.offsetMs();
            for (int i = 0; i < 3; i++) {
                long o = s.next().offsetMs();
                assertThat(o).isGreaterThan(previous);
                previous = o;
            }
            assertThat(s.connections()).isGreaterThanOrEqualTo(2);
        } finally {
            publisher.close();
        }
    }

    @Test
    void aStreamThatNeverComesBackTimesOutWith499() throws Exception {
        ExternalProcess publisher = rtmp.publish("gone", clip);
        try (LiveSampler s = LiveSampler.open(SourceUri.parse(rtmp.url("gone")), SamplingSpec.every(500),
                LiveOptions.withTimeout(2000), () -> false)) {
            assertThat(s.next()).isNotNull();
            publisher.kill();
            long t0 = System.currentTimeMillis();
            assertThatThrownBy(() -> {
                while (s.next() != null) {
                    // drain what was buffered
                }
            }).isInstanceOfSatisfying(SourceException.class, e -> {
                assertThat(e.code()).isEqualTo(499);
                assertThat(e.getMessage()).isEqualTo("timeout");
            });
            assertThat(System.currentTimeMillis() - t0).isBetween(1500L, 4000L);
        } finally {
            publisher.close();
        }
    }

    @Test
    void aStreamThatNeverStartedIsNotFoundAfterTheTimeout() {
        long t0 = System.currentTimeMillis();
        assertThatThrownBy(() -> LiveSampler.open(SourceUri.parse(rtmp.url("nobody")), SamplingSpec.every(500),
                LiveOptions.withTimeout(1500), () -> false))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(424));
        assertThat(System.currentTimeMillis() - t0).isBetween(1000L, 5000L);
    }

    @Test
    void stopEndsTheStreamWithinAFrameAndReleasesTheConnection() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (ExternalProcess publisher = rtmp.publish("stopped", clip)) {
            LiveSampler s = LiveSampler.open(SourceUri.parse(rtmp.url("stopped")), SamplingSpec.every(5000),
                    LiveOptions.withTimeout(5000), stop::get);
            assertThat(s.next()).isNotNull();
            new Thread(() -> {
                sleep(300);
                stop.set(true);
            }).start();
            long t0 = System.currentTimeMillis();
            assertThat(s.next()).isNull();
            assertThat(System.currentTimeMillis() - t0).isLessThan(700);
            s.close();
            long deadline = System.currentTimeMillis() + 1000;
            while (rtmp.players("stopped") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(rtmp.players("stopped")).isZero();
        }
    }

    @Test
    void keyframesOfALiveStreamFollowItsGop() throws Exception {
        try (ExternalProcess publisher = rtmp.publish("keys", clip);
             FrameSource s = FrameSource.open(SourceOpener.UNRESTRICTED, SourceUri.parse(rtmp.url("keys")), SamplingSpec.keyframes(),
                     LiveOptions.withTimeout(5000), () -> false)) {
            long previous = -1;
            for (int i = 0; i < 3; i++) {
                SampledFrame f = s.next();
                assertThat(f.keyframe()).isTrue();
                if (previous >= 0) {
                    assertThat(f.offsetMs() - previous).as("GOP of 10 frames at 10 fps").isBetween(900L, 1100L);
                }
                previous = f.offsetMs();
            }
        }
    }

    @Test
    void rtspOverTcpGivesFrames() throws Exception {
        try (RtspTestServer rtsp = RtspTestServer.start(runDir.resolve("rtsp"), SampleVideos.ensure("vtest.avi"));
             FrameSource s = FrameSource.open(SourceOpener.UNRESTRICTED, SourceUri.parse(rtsp.url()), SamplingSpec.every(1000),
                     LiveOptions.withTimeout(10_000), () -> false)) {
            assertThat(s.info().width()).isEqualTo(768);
            long previous = -1;
            for (int i = 0; i < 3; i++) {
                SampledFrame f = s.next();
                assertThat(f).isNotNull();
                assertThat(f.image().imageHeight).isEqualTo(576);
                assertThat(f.offsetMs()).isGreaterThan(previous);
                previous = f.offsetMs();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
