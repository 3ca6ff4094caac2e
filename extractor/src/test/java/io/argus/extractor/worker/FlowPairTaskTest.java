package io.argus.extractor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.ConsecutiveFrames;
import io.argus.extractor.flow.FloFile;
import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowField;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.flow.FlowStats;
import io.argus.extractor.flow.FlowVisualizer;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.avro.FlowSpec;

/**
 * One pair of vtest.avi (20.0 s and the next frame, stored as gray PGM) through the worker's task:
 * what it stores and indexes equals what the Java reference computes from the same field.
 */
class FlowPairTaskTest {

    @TempDir
    Path dir;

    @Test
    void storedArtefactsAndStatisticsMatchTheReferenceField() throws Exception {
        List<Frame> frames = ConsecutiveFrames.decode(SampleVideos.ensure("vtest.avi").toString(), 20_000, 3);
        LocalFrameStore store = new LocalFrameStore(dir);
        byte[][] pgm = new byte[3][];
        String[] uris = new String[3];
        for (int i = 0; i < 3; i++) {
            pgm[i] = Pgm.encodeGray(frames.get(i));
            uris[i] = store.put("pairs/0000000" + i + ".pgm", pgm[i]).toString();
        }
        try (FlowPairTask task = new FlowPairTask(store)) {
            String[][] specs = {{"dis", "fast", "1.0"}, {"dis", "fast", "0.5"}, {"farneback", "fast", "1.0"}};
            for (String[] spec : specs) {
                FlowSpec flow = FlowSpec.newBuilder().setAlgorithm(spec[0]).setPreset(spec[1])
                        .setScale(Double.parseDouble(spec[2])).setGap(1).build();
                FlowSettings settings = FlowPairTask.settings(flow);
                FlowField reference;
                try (FlowComputer c = new FlowComputer(settings); Mat a = Pgm.decode(pgm[0]); Mat b = Pgm.decode(pgm[1])) {
                    reference = c.compute(a, b);
                }
                // another pair first: the task's kept Mats and buffers carry nothing over
                task.process(pair(flow, 1, uris[1], uris[2]));
                ExtractedItem item = task.process(pair(flow, 2, uris[0], uris[1]));

                assertThat(item.getKind()).isEqualTo(ExtractionKind.FLOW);
                assertThat(item.getAlgorithm()).isEqualTo(settings.label());
                assertThat(item.getWidth()).isEqualTo(reference.width()).isEqualTo(settings.scaledWidth(768));
                assertThat(item.getHeight()).isEqualTo(reference.height());
                FlowField stored = FloFile.fromBytes(store.get(URI.create(item.getUri())));
                assertThat(rawBits(stored.uv())).isEqualTo(rawBits(reference.uv()));

                byte[] jpeg = store.get(URI.create(item.getVisualizationUri()));
                try (FlowVisualizer viz = new FlowVisualizer(); JpegEncoder enc = new JpegEncoder()) {
                    assertThat(jpeg).isEqualTo(enc.encode(viz.render(reference)));
                }
                BufferedImage picture = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertThat(picture.getWidth()).isEqualTo(reference.width());

                FlowStats expected = FlowStats.of(reference);
                var stats = item.getStats();
                double mean = expected.meanMagnitude();
                double p95 = expected.p95Magnitude();
                assertThat(stats.getMeanPx()).isCloseTo(mean, within(1e-6 * mean));
                assertThat(stats.getP95Px()).isCloseTo(p95, within(1e-6 * p95));
                assertThat(stats.getMovingFraction()).isEqualTo(expected.movingFraction());
                assertThat(stats.getDirectionDeg()).isCloseTo(expected.dominantDirection(), within(1e-4));
            }
        }
    }

    private static FlowPair pair(FlowSpec flow, long seq, String first, String second) {
        return FlowPair.newBuilder().setRequestId("req-" + flow.getAlgorithm() + "-" + (int) (flow.getScale() * 10))
                .setVideoId("vtest").setPattern("uniform").setSeq(seq).setOffsetMs(20_000).setPairOffsetMs(20_100)
                .setUri(first).setPairUri(second).setWidth(768).setHeight(576).setFlow(flow).build();
    }

    /** @return the raw bits of each float, so that a NaN or -0.0 difference would show */
    private static int[] rawBits(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }
}
