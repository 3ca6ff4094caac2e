package io.argus.edge.files;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.util.Locale;

import io.argus.edge.request.ApiException;
import io.argus.schemas.avro.FileInfo;
import io.javalin.http.Context;

/**
 * The query parameters of the media endpoints (media-api.html, "thumbnail" and "clip"), checked
 * against the file they ask about. Every problem is a 400 {@code invalid parameters} with a detail
 * naming the parameter; a frame past the video's end is {@link FilesBackend.NoSuchFrame} (404).
 */
public final class MediaQuery {

    /** Largest {@code fps} override, frames/s. */
    static final double MAX_FPS = 1000;

    private MediaQuery() {
    }

    /**
     * @param ctx the request
     * @return {@code mode=debug} → true, {@code normal} or absent → false
     * @throws ApiException 400 for another value
     */
    public static boolean debug(Context ctx) {
        String m = ctx.queryParam("mode");
        if (m == null || m.isBlank() || m.equalsIgnoreCase("normal")) {
            return false;
        }
        if (m.equalsIgnoreCase("debug")) {
            return true;
        }
        throw badRequest(INVALID_PARAMETERS, "mode must be normal or debug, was '" + m + "'");
    }

    /**
     * @param ctx the request
     * @return {@code audio=on} or absent → true, {@code off} → false
     * @throws ApiException 400 for another value
     */
    public static boolean audio(Context ctx) {
        String a = ctx.queryParam("audio");
        if (a == null || a.isBlank() || a.equalsIgnoreCase("on")) {
            return true;
        }
        if (a.equalsIgnoreCase("off")) {
            return false;
        }
        throw badRequest(INVALID_PARAMETERS, "audio must be on or off, was '" + a + "'");
    }

    /**
     * {@code frame} (required, integer ≥ 0) of {@code /thumbnail}.
     *
     * @param ctx  the request
     * @param file the file
     * @return the frame number
     * @throws ApiException                400 when missing or not a non-negative integer
     * @throws FilesBackend.NoSuchFrame when the video has no such frame
     */
    static long frame(Context ctx, FileInfo file) throws FilesBackend.NoSuchFrame {
        Long n = integer(ctx, "frame");
        if (n == null) {
            throw badRequest(INVALID_PARAMETERS, "frame (zero-based integer) is required");
        }
        checkFrame(n, file);
        return n;
    }

    /**
     * The crop of {@code /thumbnail}: all four of {@code x, y, w, h} or none, inside the frame.
     *
     * @param ctx  the request
     * @param file the file (its width and height, pixels)
     * @return the crop, or null for the whole frame
     * @throws ApiException 400 when only some are given, one is not an integer, {@code w} or
     *                      {@code h} is 0, or the rectangle leaves the frame
     */
    static FilesBackend.Crop crop(Context ctx, FileInfo file) {
        Long x = integer(ctx, "x");
        Long y = integer(ctx, "y");
        Long w = integer(ctx, "w");
        Long h = integer(ctx, "h");
        int given = (x == null ? 0 : 1) + (y == null ? 0 : 1) + (w == null ? 0 : 1) + (h == null ? 0 : 1);
        if (given == 0) {
            return null;
        }
        if (given < 4) {
            throw badRequest(INVALID_PARAMETERS, "x, y, w and h must be given together (all four or none)");
        }
        if (w < 1 || h < 1) {
            throw badRequest(INVALID_PARAMETERS, "w and h must be at least 1 pixel");
        }
        if (x + w > file.getWidth() || y + h > file.getHeight()) {
            throw badRequest(INVALID_PARAMETERS, "the crop " + x + "," + y + " " + w + "x" + h
                    + " does not lie inside the " + file.getWidth() + "x" + file.getHeight() + " frame");
        }
        return new FilesBackend.Crop(x.intValue(), y.intValue(), w.intValue(), h.intValue());
    }

    /**
     * The range of {@code /clip}: {@code start_frame} and {@code end_frame} (inclusive), or else
     * {@code start_time} and {@code end_time} (seconds) turned into frames with {@code fps} (default
     * the file's): first frame {@code floor(start_time × fps)}, last {@code ceil(end_time × fps) − 1}
     * (the frames that start before {@code end_time}), the last clamped to the video's last frame.
     *
     * @param ctx  the request
     * @param file the file
     * @return {@code {first, last}}, zero-based, inclusive
     * @throws ApiException                400 when neither pair (or a mix) is given, a value is
     *                                     not a number, or the range is empty or reversed
     * @throws FilesBackend.NoSuchFrame when the first frame is past the video's end, or a given
     *                                     {@code end_frame} is
     */
    static long[] clipRange(Context ctx, FileInfo file) throws FilesBackend.NoSuchFrame {
        Long sf = integer(ctx, "start_frame");
        Long ef = integer(ctx, "end_frame");
        Double st = decimal(ctx, "start_time");
        Double et = decimal(ctx, "end_time");
        Double fpsParam = decimal(ctx, "fps");
        if (fpsParam != null && (fpsParam <= 0 || fpsParam > MAX_FPS)) {
            throw badRequest(INVALID_PARAMETERS, "fps must be above 0 and at most " + (int) MAX_FPS);
        }
        if (sf != null || ef != null) {
            if (sf == null || ef == null) {
                throw badRequest(INVALID_PARAMETERS, "start_frame and end_frame must be given together");
            }
            if (ef < sf) {
                throw badRequest(INVALID_PARAMETERS, "end_frame (" + ef + ") is before start_frame (" + sf + ")");
            }
            checkFrame(sf, file);
            checkFrame(ef, file);
            return new long[] {sf, ef};
        }
        if (st == null || et == null) {
            throw badRequest(INVALID_PARAMETERS, "give start_frame and end_frame, or start_time and end_time");
        }
        if (et <= st) {
            throw badRequest(INVALID_PARAMETERS, "end_time (" + et + ") must be after start_time (" + st + ")");
        }
        double fps = fpsParam != null ? fpsParam : file.getFps();
        long first = (long) Math.floor(st * fps + 1e-9);
        long last = Math.min(file.getFrameCount() - 1, (long) Math.ceil(et * fps - 1e-9) - 1);
        checkFrame(first, file);
        if (last < first) {
            throw badRequest(INVALID_PARAMETERS, "the time range holds no frame at " + fps + " fps");
        }
        return new long[] {first, last};
    }

    /**
     * The range of a zero-loss cut ({@code /video?start_frame=&end_frame=}): both integers ≥ 0,
     * given together, {@code start_frame ≤ end_frame}, both inside the video.
     *
     * @param ctx  the request
     * @param file the file
     * @return {@code {start, end}}, zero-based, inclusive
     * @throws ApiException                400 when one is missing or not a non-negative integer,
     *                                     or the range is reversed
     * @throws FilesBackend.NoSuchFrame when a frame is past the video's end
     */
    static long[] cutRange(Context ctx, FileInfo file) throws FilesBackend.NoSuchFrame {
        Long sf = integer(ctx, "start_frame");
        Long ef = integer(ctx, "end_frame");
        if (sf == null || ef == null) {
            throw badRequest(INVALID_PARAMETERS, "start_frame and end_frame must be given together");
        }
        if (ef < sf) {
            throw badRequest(INVALID_PARAMETERS, "end_frame (" + ef + ") is before start_frame (" + sf + ")");
        }
        checkFrame(sf, file);
        checkFrame(ef, file);
        return new long[] {sf, ef};
    }

    private static void checkFrame(long n, FileInfo file) throws FilesBackend.NoSuchFrame {
        if (n >= file.getFrameCount()) {
            throw new FilesBackend.NoSuchFrame("frame " + n + " is past the end of the video: it has "
                    + file.getFrameCount() + " frames (0 to " + (file.getFrameCount() - 1) + ")");
        }
    }

    private static Long integer(Context ctx, String name) {
        return io.argus.edge.http.FormParts.nonNegative(ctx, name);
    }

    private static Double decimal(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d) || d < 0 || v.strip().toLowerCase(Locale.ROOT).matches(".*[a-z].*")) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw badRequest(INVALID_PARAMETERS, name + " must be a non-negative number of seconds or frames/s, was '"
                    + v + "'");
        }
    }
}
