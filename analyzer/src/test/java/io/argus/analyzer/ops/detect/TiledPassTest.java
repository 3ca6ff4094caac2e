package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Tile geometry, the IoS merge and the shift of tile boxes back to frame pixels. */
class TiledPassTest {

    @Test
    void tilesCoverTheFrameWithTheDocumentedOverlap() {
        List<int[]> tiles = TiledPass.tiles(1920, 1080, 2);
        assertThat(tiles).hasSize(4);
        // side = 1920 / (2 - 0.2) = 1067, so the tiles overlap by 2·1067 − 1920 = 214 px ≈ 0.2 of a side
        assertThat(tiles.get(0)).containsExactly(0, 0, 1067, 600);
        assertThat(tiles.get(3)).containsExactly(1920 - 1067, 1080 - 600, 1067, 600);
        for (int[] t : tiles) {
            assertThat(t[0] + t[2]).isLessThanOrEqualTo(1920);
            assertThat(t[1] + t[3]).isLessThanOrEqualTo(1080);
        }
        for (int y = 0; y < 1080; y += 7) {
            for (int x = 0; x < 1920; x += 7) {
                int px = x;
                int py = y;
                assertThat(tiles).as("pixel %d,%d", x, y)
                        .anyMatch(t -> px >= t[0] && px < t[0] + t[2] && py >= t[1] && py < t[1] + t[3]);
            }
        }
        assertThat(TiledPass.tiles(768, 432, 3)).hasSize(9);
        assertThatThrownBy(() -> TiledPass.tiles(768, 432, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergeDropsABoxMostlyInsideABetterOneOfTheSameClassOnly() {
        Candidate whole = new Candidate(100, 100, 200, 300, 0, 0.9f);
        Candidate cut = new Candidate(100, 100, 200, 180, 0, 0.6f); // the top of the same person, IoU 0.4
        Candidate otherClass = new Candidate(100, 100, 200, 180, 2, 0.5f);
        Candidate neighbour = new Candidate(190, 100, 290, 300, 0, 0.8f); // overlaps whole by 10 px
        List<Candidate> kept = TiledPass.merge(List.of(cut, whole, otherClass, neighbour), TiledPass.MERGE_IOS, 10);
        assertThat(kept).containsExactly(whole, neighbour, otherClass);
        assertThat(TiledPass.merge(List.of(whole, neighbour, cut), TiledPass.MERGE_IOS, 1)).containsExactly(whole);
    }

    @Test
    void tileBoxesAreShiftedToFramePixels() throws Exception {
        try (Mat frame = new Mat(400, 600, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            List<int[]> seen = new ArrayList<>();
            // a fake detector reporting a 10×10 box at the centre of whatever it is given, scored by its width
            List<Candidate> merged = TiledPass.detect(frame, 2, m -> {
                seen.add(new int[] {m.cols(), m.rows()});
                float cx = m.cols() / 2f;
                float cy = m.rows() / 2f;
                return List.of(new Candidate(cx - 5, cy - 5, cx + 5, cy + 5, 0, m.cols() / 1000f));
            }, 100);
            assertThat(seen).hasSize(5);
            assertThat(seen.get(0)).containsExactly(600, 400);
            List<int[]> tiles = TiledPass.tiles(600, 400, 2);
            for (int[] t : tiles) {
                float cx = t[0] + t[2] / 2f;
                float cy = t[1] + t[3] / 2f;
                assertThat(merged).anySatisfy(c -> {
                    assertThat(c.x0()).isEqualTo(cx - 5);
                    assertThat(c.y0()).isEqualTo(cy - 5);
                });
            }
            assertThat(merged).hasSize(5);
            assertThat(merged.get(0).score()).isEqualTo(0.6f);
        }
    }
}
