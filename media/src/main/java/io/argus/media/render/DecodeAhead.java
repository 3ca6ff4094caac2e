package io.argus.media.render;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes a started grabber's video frames on a thread of its own, {@value #DEPTH} frames ahead of
 * the caller, so that decoding overlaps drawing and encoding on a second core. Frames are copied
 * out of the grabber's buffer (which it reuses) into a pool of {@value #DEPTH} + 1 frames that
 * the caller hands back with {@link #release}: memory stays at a few frames whatever the video's
 * length. One caller thread; {@link #close} stops the decoding thread and waits for it, after
 * which the grabber is the caller's again.
 */
final class DecodeAhead implements AutoCloseable {

    /** Frames decoded ahead of the caller. */
    static final int DEPTH = 3;

    /** A decoded frame and its time. */
    static final class Decoded {
        Frame frame;
        long tMs;
    }

    private static final Decoded END = new Decoded();

    private final FFmpegFrameGrabber grabber;
    private final BlockingQueue<Decoded> free = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<Decoded> filled = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread thread;
    private volatile Exception error;
    private volatile boolean stopped;

    /**
     * @param grabber a started grabber, used by the decoding thread until {@link #close}
     * @param name    the thread's name
     */
    DecodeAhead(FFmpegFrameGrabber grabber, String name) {
        this.grabber = grabber;
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
            while (!stopped && (f = grabber.grabImage()) != null) {
                Decoded d = free.take();
                d.frame = copy(f, d.frame);
                d.tMs = grabber.getTimestamp() / 1000;
                filled.put(d);
            }
        } catch (InterruptedException e) {
            return; // closed
        } catch (Exception e) {
            error = e;
        }
        filled.offer(END);
    }

    private static Frame copy(Frame from, Frame into) {
        ByteBuffer src = ((ByteBuffer) from.image[0]).duplicate();
        if (into == null || into.imageWidth != from.imageWidth || into.imageHeight != from.imageHeight
                || into.imageStride != from.imageStride || ((ByteBuffer) into.image[0]).capacity() != src.capacity()) {
            return from.clone();
        }
        ByteBuffer dst = (ByteBuffer) into.image[0];
        src.clear();
        dst.clear();
        dst.put(src);
        dst.clear();
        return into;
    }

    /**
     * @return the next frame, or null after the last
     * @throws IOException          the decoder's error, when decoding failed midway
     * @throws InterruptedException when the caller is interrupted while waiting
     */
    Decoded next() throws IOException, InterruptedException {
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
    void release(Decoded d) {
        free.offer(d);
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
