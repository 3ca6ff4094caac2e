package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link NanoDetDecoder} and {@link CenterNetDecoder} on hand-made outputs whose boxes are worked
 * out here from the definitions (GFL's distribution integral; CenterNet's row layout), with COCO's
 * 80 model classes mapped onto the 90-id label list.
 */
class HumanDecodersTest {

    private static final Offset<Float> PX = Offset.offset(1e-3f);

    @Test
    void nanodetTakesTheExpectedDistanceOfEachSideTimesTheStride() {
        int c = 80;
        int bins = 11;
        // One level of stride 8 on a 16×16 input: 2×2 cells.
        float[] scores = new float[4 * c];
        float[] dists = new float[4 * 4 * bins];
        int cell = 3; // x = 1, y = 1: centre (12, 12)
        scores[cell * c + 2] = 0.9f; // model class 2 = car (COCO id 3)
        scores[cell * c + 0] = 0.5f; // person, same box
        scores[0 * c + 5] = 0.2f; // below the threshold
        // left: all mass on bin 1 (distance 8); top: bins 0 and 2 equal (mean 1 → 8);
        // right: uniform over 11 bins (mean 5 → 40); bottom: bin 0 only (0).
        int off = cell * 4 * bins;
        dists[off + 1] = 50;
        dists[off + bins] = 50;
        dists[off + bins + 2] = 50;
        dists[off + 3 * bins] = 50;
        List<Candidate> out = NanoDetDecoder.decode(List.of(new NanoDetDecoder.Level(scores, dists, 8, 2, 2)),
                CocoLabels.BY_INDEX, 0.3f);
        assertThat(out).hasSize(2);
        Candidate car = out.stream().filter(k -> k.score() == 0.9f).findFirst().orElseThrow();
        assertThat(CocoLabels.BY_INDEX.get(car.cls())).isEqualTo("car");
        assertThat(car.cls()).isEqualTo(2);
        assertThat(car.x0()).isCloseTo(12 - 8, PX);
        assertThat(car.y0()).isCloseTo(12 - 8, PX);
        assertThat(car.x1()).isCloseTo(12 + 40, PX);
        assertThat(car.y1()).isCloseTo(12, PX);
        assertThat(out).anyMatch(k -> k.score() == 0.5f && CocoLabels.BY_INDEX.get(k.cls()).equals("person"));
        assertThatThrownBy(() -> NanoDetDecoder.decode(List.of(new NanoDetDecoder.Level(scores, dists, 8, 3, 3)),
                CocoLabels.BY_INDEX, 0.3f)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nanodetKeepsTheBestThousandCandidates() {
        int c = 80;
        float[] scores = new float[52 * 52 * c];
        java.util.Arrays.fill(scores, 0.6f);
        scores[7] = 0.95f;
        float[] dists = new float[52 * 52 * 44];
        List<Candidate> out = NanoDetDecoder.decode(List.of(new NanoDetDecoder.Level(scores, dists, 8, 52, 52)),
                CocoLabels.BY_INDEX, 0.5f);
        assertThat(out).hasSize(NanoDetDecoder.MAX_CANDIDATES);
        assertThat(out.get(0).score()).isEqualTo(0.95f);
    }

    @Test
    void centernetReadsRowsAndSkipsLowScoresAndBadClasses() {
        float[] rows = {
            10, 20, 110, 220, 0.8f, 79, // toothbrush, COCO id 90
            1, 2, 3, 4, 0.2f, 0, // below the threshold
            5, 6, 50, 60, 0.7f, Float.NaN, // no class
            5, 6, 50, 60, 0.7f, 80, // out of range
            7, 8, 70, 80, 0.6f, 0, // person
        };
        List<Candidate> out = CenterNetDecoder.decode(rows, 5, CocoLabels.BY_INDEX, 0.3f);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new Candidate(10, 20, 110, 220, 89, 0.8f));
        assertThat(CocoLabels.BY_INDEX.get(out.get(0).cls())).isEqualTo("toothbrush");
        assertThat(out.get(1)).isEqualTo(new Candidate(7, 8, 70, 80, 0, 0.6f));
        assertThatThrownBy(() -> CenterNetDecoder.decode(rows, 4, CocoLabels.BY_INDEX, 0.3f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
