package io.argus.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes a started grabber's frames on a thread of its own, {@value #DEPTH} video frames ahead of
 * the caller, so that decoding overlaps drawing and encoding on a second core (as the ffmpeg CLI
 * runs its decoders and encoders on threads of their own since FFmpeg 7). Video frames are copied
 * out of the grabber's buffer (which it reuses) into a pool of {@value #DEPTH} + 1 frames that
 * the caller hands back with {@link #release}: memory stays at a few frames whatever the video's
 * length. With audio, the audio frames between them come too, each a copy of its own. One caller
 * thread; {@link #close} stops the decoding thread and waits for it, after which the grabber is
 * the caller's again.
 */
public final class DecodeAhead implements AutoCloseable {

    /** Video frames decoded ahead of the caller. */
    static final int DEPTH = 3;

    /** A decoded frame and its time. */
    public static final class Decoded {
        Frame frame;
        long tMs;
        boolean pooled;

        /**
         * @return the frame: a video frame ({@link Frame#image} set, the grabber's pixel format,
         *         {@link Frame#timestamp} in µs) or an audio frame ({@link Frame#samples} set);
         *         valid until {@link #release}
         */
        public Frame frame() {
            return frame;
        }

        /** @return the frame's time, ms (the grabber's timestamp) */
        public long tMs() {
            return tMs;
        }
    }

    private static final Decoded END = new Decoded();

    private final FFmpegFrameGrabber grabber;
    private final boolean audio;
    private final BlockingQueue<Decoded> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<Decoded> filled = new ArrayBlockingQueue<>(4 * DEPTH + 2);
    private final Thread thread;
    private volatile Exception error;
    private volatile boolean stopped;

    /**
     * Video frames only.
     *
     * @param grabber a started grabber, used by the decoding thread until {@link #close}
     * @param name    the thread's name
     */
    public DecodeAhead(FFmpegFrameGrabber grabber, String name) {
        this(grabber, name, false);
    }

    /**
     * @param grabber a started grabber, used by the decoding thread until {@link #close}
     * @param name    the thread's name
     * @param audio   true to hand over the audio frames too
     */
    public DecodeAhead(FFmpegFrameGrabber grabber, String name, boolean audio) {
        this.grabber = grabber;
        this.audio = audio;
        for (int i = 0; i <= DEPTH; i++) {
            free.add(new Decoded());
        }
        this.thread = new Thread(this::decode, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void decode() {
        try {
            Frame f;
            while (!stopped && (f = audio ? grabber.grab() : grabber.grabImage()) != null) {
                if (f.image == null) {
                    if (f.samples != null) {
                        Decoded d = new Decoded();
                        d.frame = f.clone();
                        d.tMs = f.timestamp / 1000;
                        filled.put(d);
                    }
                    continue;
                }
                Decoded d = free.take();
                d.frame = copy(f, d.frame);
                d.frame.timestamp = f.timestamp;
                d.tMs = grabber.getTimestamp() / 1000;
                d.pooled = true;
                filled.put(d);
            }
        } catch (InterruptedException e) {
            return; // closed
        } catch (Exception e) {
            error = e;
        }
        filled.offer(END);
    }

    /**
     * Copies a video frame's whole buffer (every plane: a planar frame's chroma lies past the
     * buffer's limit) into a pooled frame, allocating one of the right size when needed.
     */
    private static Frame copy(Frame from, Frame into) {
        ByteBuffer src = ((ByteBuffer) from.image[0]).duplicate();
        src.clear();
        if (into == null || into.imageWidth != from.imageWidth || into.imageHeight != from.imageHeight
                || into.imageStride != from.imageStride || into.imageChannels != from.imageChannels
                || ((ByteBuffer) into.image[0]).capacity() != src.capacity()) {
            into = new Frame();
            into.imageWidth = from.imageWidth;
            into.imageHeight = from.imageHeight;
            into.imageDepth = from.imageDepth;
            into.imageChannels = from.imageChannels;
            into.imageStride = from.imageStride;
            into.image = new java.nio.Buffer[] {ByteBuffer.allocateDirect(src.capacity()).order(src.order())};
        }
        ByteBuffer dst = (ByteBuffer) into.image[0];
        dst.clear();
        dst.put(src);
        dst.clear();
        dst.limit(((ByteBuffer) from.image[0]).limit());
        into.keyFrame = from.keyFrame;
        return into;
    }

    /**
     * @return the next frame, or null after the last
     * @throws IOException          the decoder's error, when decoding failed midway
     * @throws InterruptedException when the caller is interrupted while waiting
     */
    public Decoded next() throws IOException, InterruptedException {
        Decoded d = filled.take();
        if (d == END) {
            filled.offer(END); // later calls see the end too
            if (error != null) {
                throw error instanceof IOException io ? io : new IOException(error);
            }
            return null;
        }
        return d;
    }

    /** @param d a frame from {@link #next}, no longer used by the caller */
    public void release(Decoded d) {
        if (d.pooled) {
            free.offer(d);
        } else {
            d.frame.close();
        }
    }

    /** Stops the decoding thread and waits for it to end. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
