package io.argus.launcher.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The labelled licence-plate set ({@code eval/plates/labels.csv}, provenance in
 * {@code eval/plates/PROVENANCE.md}): real photos, each a whole vehicle with its plate's box or a
 * plate crop, and the text read by eye in normal form.
 *
 * <p>What the plate reader is given, as the {@code plate} op would give it a vehicle's box: for a
 * whole photo, the region from 1.5 plate widths left of the plate to 1.5 right of it and from 3
 * plate heights above to 1.5 below, clipped to the photo; for a crop, the crop with a border of
 * half its height replicated around it (the text detector needs some background around the text).
 */
public final class PlateSet {

    /**
     * One labelled image.
     *
     * @param file  the image
     * @param text  the plate in normal form
     * @param plate the plate's box (x, y, w, h pixels) in a whole photo, or null for a crop
     */
    public record Item(Path file, String text, int[] plate) {

        /** @return the image the reader is given (see the class comment), 8-bit BGR */
        public Mat vehicle() {
            Mat img = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
            if (img.empty()) {
                throw new IllegalStateException("cannot read " + file);
            }
            if (plate == null) {
                Mat out = new Mat();
                int b = Math.max(4, img.rows() / 2);
                opencv_core.copyMakeBorder(img, out, b, b, b, b, opencv_core.BORDER_REPLICATE, new Scalar());
                return out;
            }
            int x0 = Math.max(0, (int) (plate[0] - 1.5 * plate[2]));
            int y0 = Math.max(0, plate[1] - 3 * plate[3]);
            int x1 = Math.min(img.cols(), (int) (plate[0] + 2.5 * plate[2]));
            int y1 = Math.min(img.rows(), (int) (plate[1] + 2.5 * plate[3]));
            return img.apply(new Rect(x0, y0, x1 - x0, y1 - y0)).clone();
        }
    }

    private PlateSet() {
    }

    /**
     * @param labels {@code labels.csv}; images beside it under {@code images/}
     * @return the items, in file order
     * @throws IOException when the file cannot be read or a line is malformed
     */
    public static List<Item> read(Path labels) throws IOException {
        List<Item> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", 7);
            if (f.length < 6) {
                throw new IOException(labels + " line " + (i + 1) + ": expected file,plate_text,x,y,w,h,notes");
            }
            int[] box = f[2].isBlank() ? null
                    : new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5])};
            out.add(new Item(labels.resolveSibling("images").resolve(f[0]), f[1], box));
        }
        return out;
    }

    /**
     * @param truth the true text
     * @param read  the text read
     * @return character accuracy: 1 − Levenshtein distance / length of the truth, at least 0
     */
    public static double characterAccuracy(String truth, String read) {
        int[] prev = new int[read.length() + 1];
        int[] cur = new int[read.length() + 1];
        for (int j = 0; j <= read.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= truth.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= read.length(); j++) {
                int sub = prev[j - 1] + (truth.charAt(i - 1) == read.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.max(0, 1 - (double) prev[read.length()] / truth.length());
    }
}
