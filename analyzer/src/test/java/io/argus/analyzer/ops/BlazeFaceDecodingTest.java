package io.argus.analyzer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.analyzer.ops.face.BlazeFaceDecoder;
import io.argus.analyzer.ops.face.Face;
import io.argus.analyzer.ops.face.SsdAnchors;
import io.argus.analyzer.ops.face.WeightedNms;

/** Anchors, decoding and NMS without the model. */
class BlazeFaceDecodingTest {

    @Test
    void backAndFrontConfigsGive896Anchors() {
        List<SsdAnchors.Group> back = SsdAnchors.generate(256, 16, 32, 32, 32);
        assertThat(back).extracting(SsdAnchors.Group::count).containsExactly(512, 384);
        List<SsdAnchors.Group> front = SsdAnchors.generate(128, 8, 16, 16, 16);
        assertThat(front).extracting(SsdAnchors.Group::count).containsExactly(512, 384);
        float[] c = back.get(0).centres();
        // two anchors per cell at (0.5/16, 0.5/16), then the next cell in x
        assertThat(c[0]).isEqualTo(0.5f / 16);
        assertThat(c[2]).isEqualTo(0.5f / 16);
        assertThat(c[4]).isEqualTo(1.5f / 16);
        assertThat(c[5]).isEqualTo(0.5f / 16);
        float[] last = back.get(1).centres();
        assertThat(last[last.length - 2]).isEqualTo(7.5f / 8);
    }

    @Test
    void decodesRelativeToTheAnchorAndThresholdsTheSigmoid() {
        SsdAnchors.Group g = SsdAnchors.generate(256, 16, 32, 32, 32).get(1);
        float[] regs = new float[g.count() * 16];
        float[] logits = new float[g.count()];
        java.util.Arrays.fill(logits, -5);
        int i = 6 * 9; // cell (1, 1): centre (1.5/8, 1.5/8)
        logits[i] = 2;
        regs[i * 16] = 12.8f;      // +0.05 in x
        regs[i * 16 + 1] = -12.8f; // -0.05 in y
        regs[i * 16 + 2] = 64;     // w 0.25
        regs[i * 16 + 3] = 32;     // h 0.125
        regs[i * 16 + 4] = 25.6f;  // first keypoint x +0.1
        List<Face> out = new ArrayList<>();
        new BlazeFaceDecoder(256, 0.5f).decode(g, regs, logits, out);
        assertThat(out).hasSize(1);
        Face f = out.get(0);
        assertThat(f.score()).isCloseTo(BlazeFaceDecoder.sigmoid(2), within(1e-6f));
        assertThat(f.xmin()).isCloseTo(1.5f / 8 + 0.05f - 0.125f, within(1e-5f));
        assertThat(f.ymax()).isCloseTo(1.5f / 8 - 0.05f + 0.0625f, within(1e-5f));
        assertThat(f.keypoints()[0]).isCloseTo(1.5f / 8 + 0.1f, within(1e-5f));
        assertThat(BlazeFaceDecoder.sigmoid(1000)).isEqualTo(1f);
    }

    @Test
    void weightedNmsMergesOverlapsAndKeepsSeparateFaces() {
        float[] kp = new float[12];
        Face a = new Face(0.10f, 0.10f, 0.30f, 0.30f, 0.9f, kp);
        Face b = new Face(0.12f, 0.12f, 0.32f, 0.32f, 0.6f, kp);
        Face c = new Face(0.60f, 0.60f, 0.80f, 0.80f, 0.7f, kp);
        List<Face> out = WeightedNms.apply(List.of(b, c, a), 0.3f);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).score()).isEqualTo(0.9f);
        assertThat(out.get(0).xmin()).isCloseTo((0.10f * 0.9f + 0.12f * 0.6f) / 1.5f, within(1e-6f));
        assertThat(out.get(1).xmin()).isEqualTo(0.60f);
        assertThat(out.get(1).score()).isEqualTo(0.7f);
    }
}
