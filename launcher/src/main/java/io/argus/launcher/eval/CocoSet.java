package io.argus.launcher.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A labelled evaluation set in COCO JSON (the object detection format of
 * https://cocodataset.org/#format-data): {@code images} with {@code id}, {@code file_name},
 * {@code width}, {@code height}; {@code categories} with COCO ids and names; {@code annotations}
 * with {@code image_id}, {@code category_id}, {@code bbox} {@code [x, y, width, height]} in pixels
 * and {@code iscrowd} 0. Argus's conventions on top of the format:
 * <ul>
 *   <li>an image is a frame of a clip: {@code file_name} is {@code "<clip>#<frame index>"} (the
 *       frame index counts decoded video frames from 0); the optional fields {@code clip} and
 *       {@code frame} say the same;</li>
 *   <li>an annotation may carry {@code "ignore": 1}: a box that is neither required nor penalised
 *       ({@link GroundTruth#ignore()}).</li>
 * </ul>
 *
 * @param images     the frames in file order, each with its truths
 * @param categories category names by COCO id
 */
public record CocoSet(List<Image> images, Map<Integer, String> categories) {

    /**
     * One annotated frame.
     *
     * @param id     COCO image id
     * @param clip   clip file name, e.g. {@code vtest.avi}
     * @param frame  frame index in the clip, from 0 in decoding order
     * @param width  frame width, pixels
     * @param height frame height, pixels
     * @param truths the frame's annotations
     */
    public record Image(int id, String clip, int frame, int width, int height, List<GroundTruth> truths) {

        /** @return {@code "<clip>#<frame>"} */
        public String name() {
            return clip + "#" + frame;
        }
    }

    /**
     * @param images     frames
     * @param categories names by id
     */
    public CocoSet {
        images = List.copyOf(images);
        categories = Collections.unmodifiableMap(new TreeMap<>(categories));
    }

    /**
     * @param file a COCO JSON file
     * @return the set
     * @throws IOException when the file cannot be read or is not JSON
     * @throws IllegalArgumentException when it breaks the format or the conventions above: missing
     *     field, duplicate image id, annotation of an unknown image or category, {@code iscrowd} 1,
     *     a box that is empty or leaves its frame (the message names the image or annotation)
     */
    public static CocoSet load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        Map<Integer, String> categories = new LinkedHashMap<>();
        for (JsonNode c : required(root, "categories", "the file")) {
            categories.put(required(c, "id", "a category").asInt(), required(c, "name", "a category").asText());
        }
        Map<Integer, JsonNode> imageNodes = new LinkedHashMap<>();
        Map<Integer, List<GroundTruth>> truths = new LinkedHashMap<>();
        for (JsonNode i : required(root, "images", "the file")) {
            int id = required(i, "id", "an image").asInt();
            if (imageNodes.put(id, i) != null) {
                throw new IllegalArgumentException("duplicate image id " + id);
            }
            truths.put(id, new ArrayList<>());
        }
        for (JsonNode a : required(root, "annotations", "the file")) {
            String what = "annotation " + a.path("id").asText("?");
            int imageId = required(a, "image_id", what).asInt();
            JsonNode image = imageNodes.get(imageId);
            if (image == null) {
                throw new IllegalArgumentException(what + " refers to unknown image " + imageId);
            }
            String label = categories.get(required(a, "category_id", what).asInt());
            if (label == null) {
                throw new IllegalArgumentException(what + " has unknown category " + a.get("category_id"));
            }
            if (a.path("iscrowd").asInt(0) != 0) {
                throw new IllegalArgumentException(what + ": iscrowd 1 is not supported; mark the box ignore");
            }
            JsonNode b = required(a, "bbox", what);
            double[] bbox = new double[b.size()];
            for (int k = 0; k < bbox.length; k++) {
                bbox[k] = b.get(k).asDouble();
            }
            EvalBox box = EvalBox.ofCoco(bbox);
            if (box.area() <= 0 || box.x0() < 0 || box.y0() < 0 || box.x1() > image.path("width").asInt()
                    || box.y1() > image.path("height").asInt()) {
                throw new IllegalArgumentException(what + ": box " + b + " is empty or leaves its "
                        + image.path("width").asInt() + "×" + image.path("height").asInt() + " frame");
            }
            truths.get(imageId).add(new GroundTruth(label, box, a.path("ignore").asInt(0) != 0));
        }
        List<Image> images = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> e : imageNodes.entrySet()) {
            JsonNode i = e.getValue();
            String name = required(i, "file_name", "image " + e.getKey()).asText();
            int hash = name.lastIndexOf('#');
            if (hash <= 0 || hash == name.length() - 1) {
                throw new IllegalArgumentException("image " + e.getKey() + ": file_name " + name
                        + " is not <clip>#<frame index>");
            }
            String clip = name.substring(0, hash);
            int frame;
            try {
                frame = Integer.parseInt(name.substring(hash + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("image " + e.getKey() + ": bad frame index in " + name, ex);
            }
            if (frame < 0) {
                throw new IllegalArgumentException("image " + e.getKey() + ": negative frame index in " + name);
            }
            images.add(new Image(e.getKey(), clip, frame, required(i, "width", name).asInt(),
                    required(i, "height", name).asInt(), List.copyOf(truths.get(e.getKey()))));
        }
        return new CocoSet(images, categories);
    }

    private static JsonNode required(JsonNode node, String field, String what) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(what + " has no " + field);
        }
        return v;
    }

    /** @return the clips the frames come from, in first-appearance order */
    public Set<String> clips() {
        Set<String> clips = new LinkedHashSet<>();
        images.forEach(i -> clips.add(i.clip()));
        return clips;
    }

    /**
     * @param ignored true to count the ignore boxes, false to count the required ones
     * @return boxes per class name, in COCO id order; classes without boxes are left out
     */
    public Map<String, Integer> boxCounts(boolean ignored) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String label : categories.values()) {
            int n = 0;
            for (Image i : images) {
                for (GroundTruth t : i.truths()) {
                    if (t.label().equals(label) && t.ignore() == ignored) {
                        n++;
                    }
                }
            }
            if (n > 0) {
                counts.put(label, n);
            }
        }
        return counts;
    }

    /** @return frames per clip, in first-appearance order */
    public Map<String, Integer> framesPerClip() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        images.forEach(i -> counts.merge(i.clip(), 1, Integer::sum));
        return counts;
    }
}
