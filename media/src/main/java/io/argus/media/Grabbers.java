package io.argus.media;

import java.io.IOException;
import java.nio.file.Path;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/** Opening and closing FFmpeg grabbers on local files, with errors in the caller's terms. */
public final class Grabbers {

    private Grabbers() {
    }

    /**
     * @param file a video file
     * @return a started grabber (the caller closes it with {@link #close})
     * @throws IOException "cannot open &lt;name&gt;: …" when FFmpeg cannot open it
     */
    public static FFmpegFrameGrabber open(Path file) throws IOException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        try {
            g.start();
            return g;
        } catch (FrameGrabber.Exception e) {
            close(g);
            throw new IOException("cannot open " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** @param g a grabber to release; errors while releasing are ignored (released as far as it goes) */
    public static void close(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // released as far as it goes
        }
    }
}
