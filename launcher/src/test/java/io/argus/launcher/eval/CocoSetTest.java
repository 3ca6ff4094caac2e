package io.argus.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoSetTest {

    @Test
    void committedSetHasItsFramesAndBoxes() throws IOException {
        CocoSet set = CocoSet.load(EvalFiles.annotations());
        assertEquals(158, set.images().size());
        assertEquals(Map.of("vtest.avi", 26, "car-detection.mp4", 47, "one-by-one-person-detection-70s.mp4", 44,
                "person-bicycle-car-detection-preview.mp4", 41), set.framesPerClip());
        Map<String, Integer> required = new LinkedHashMap<>();
        required.put("person", 213);
        required.put("bicycle", 27);
        required.put("car", 112);
        assertEquals(required, set.boxCounts(false));
        Map<String, Integer> ignored = new LinkedHashMap<>();
        ignored.put("person", 40);
        ignored.put("bicycle", 14);
        ignored.put("car", 4);
        assertEquals(ignored, set.boxCounts(true));
        assertEquals(Map.of(1, "person", 2, "bicycle", 3, "car", 4, "motorcycle", 6, "bus", 8, "truck"), set.categories());
        long ids = set.images().stream().map(CocoSet.Image::name).distinct().count();
        assertEquals(set.images().size(), ids, "one image per clip frame");
    }

    @Test
    void framesDecodeFromTheirClipsAtTheAnnotatedSize() throws IOException {
        CocoSet set = CocoSet.load(EvalFiles.annotations());
        // the first and last annotated frame of every clip
        for (String clip : set.clips()) {
            List<CocoSet.Image> images = set.images().stream().filter(i -> i.clip().equals(clip)).toList();
            CocoSet.Image first = images.get(0);
            CocoSet.Image last = images.get(images.size() - 1);
            TreeSet<Integer> wanted = new TreeSet<>(List.of(first.frame(), last.frame()));
            List<Integer> seen = new ArrayList<>();
            ClipFrames.decode(ClipFrames.resolve(clip, EvalFiles.clips()), wanted, (index, bgr) -> {
                seen.add(index);
                assertEquals(first.width(), bgr.cols(), clip);
                assertEquals(first.height(), bgr.rows(), clip);
                assertEquals(3, bgr.channels());
                // a real picture, not a blank frame
                Mat mean = new Mat();
                Mat std = new Mat();
                opencv_core.meanStdDev(bgr, mean, std);
                double sd = std.createIndexer().getDouble(0);
                assertTrue(sd > 5, clip + "#" + index + " looks blank (sd " + sd + ")");
            });
            assertEquals(new ArrayList<>(wanted), seen, clip);
        }
    }

    @Test
    void aFramePastTheEndIsAnError() {
        IOException e = assertThrows(IOException.class, () -> ClipFrames.decode(
                EvalFiles.clips().resolve("person-bicycle-car-detection-preview.mp4"), new TreeSet<>(List.of(3, 41)),
                (index, bgr) -> { }));
        assertTrue(e.getMessage().contains("has 41 frames"), e.getMessage());
        assertThrows(IOException.class, () -> ClipFrames.resolve("nowhere.mp4", EvalFiles.clips()));
    }

    @Test
    void malformedFilesAreRefusedWithTheirPlace(@TempDir Path dir) throws IOException {
        String head = "{\"categories\":[{\"id\":1,\"name\":\"person\"}],"
                + "\"images\":[{\"id\":1,\"file_name\":\"a.mp4#3\",\"width\":100,\"height\":50}],\"annotations\":[";
        Path f = dir.resolve("a.json");
        Files.writeString(f, head + "{\"id\":7,\"image_id\":1,\"category_id\":1,\"bbox\":[90,0,20,10],\"iscrowd\":0}]}");
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> CocoSet.load(f));
        assertTrue(out.getMessage().contains("annotation 7"), out.getMessage());
        Files.writeString(f, head + "{\"id\":8,\"image_id\":1,\"category_id\":3,\"bbox\":[0,0,20,10]}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoSet.load(f)).getMessage()
                .contains("unknown category"));
        Files.writeString(f, head.replace("a.mp4#3", "a.mp4") + "]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoSet.load(f)).getMessage()
                .contains("<clip>#<frame index>"));
        Files.writeString(f, head + "{\"id\":9,\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,20,10],\"ignore\":1}]}");
        CocoSet ok = CocoSet.load(f);
        assertEquals("a.mp4", ok.images().get(0).clip());
        assertEquals(3, ok.images().get(0).frame());
        assertTrue(ok.images().get(0).truths().get(0).ignore());
    }
}
