package io.argus.extractor.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacv.Frame;

import io.argus.extractor.ConsecutiveFrames;
import io.argus.extractor.samples.SampleVideos;

/**
 * Real frames of vtest.avi (768×576, 10 fps) shared by the flow tests, decoded once with
 * FrameSampler and cloned out of the grabber's buffer.
 *
 * <p>At 20.0 s seven pedestrians walk (target/flow-src-20s.jpg): two on the left going left, one
 * in the middle going down-left, two on the right coming down-right and two far away at the top
 * right. The regions below were checked by eye on the source frame and the flow pictures.
 */
final class VtestFrames {

    /** Offset of the first frame of the main pair, ms. */
    static final long PAIR_MS = 20_000;
    /** Lawn in the bottom-left quarter: grass and litter, nobody walks there at 20 s. */
    static final int[] STATIC_LAWN = {0, 420, 420, 156};
    /** Brick building and windows, top middle: static. */
    static final int[] STATIC_BUILDING = {310, 0, 260, 100};
    /** The two men on the right walking towards the camera (x 600–768, y 240–400). */
    static final int[] WALKERS_RIGHT = {590, 235, 178, 165};

    private static List<Frame> frames;

    private VtestFrames() {
    }

    /** @return frames at 20.0, 20.1, 20.2 and 20.3 s (consecutive decoded frames) */
    static synchronized List<Frame> frames() {
        if (frames == null) {
            try {
                frames = ConsecutiveFrames.decode(SampleVideos.ensure("vtest.avi").toString(), PAIR_MS, 4);
            } catch (Exception e) {
                throw new IllegalStateException("cannot decode vtest.avi", e);
            }
            if (frames.size() != 4) {
                throw new IllegalStateException("expected 4 frames, got " + frames.size());
            }
        }
        return frames;
    }

    /** @return the frame at 20.0 s */
    static Frame first() {
        return frames().get(0);
    }

    /** @return the next decoded frame, 20.1 s */
    static Frame second() {
        return frames().get(1);
    }

    /** Writes test output under target/ for inspection. */
    static Path write(String name, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target"));
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
