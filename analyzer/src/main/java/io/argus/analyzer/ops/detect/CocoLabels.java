package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The 90-id COCO label map used by the TensorFlow Object Detection API models and by TF.js
 * coco-ssd ({@code tfjs-models/coco-ssd/src/classes.ts}, from {@code mscoco_label_map.pbtxt}):
 * ids 1–90 with 10 unused ids (12, 26, 29, 30, 45, 66, 68, 69, 71, 83) that the models were never
 * trained on. Score column {@code j} of the converted SSD model is COCO id {@code j + 1}.
 */
public final class CocoLabels {

    /** Label of COCO id {@code i + 1} at index {@code i}; empty for an unused id. */
    public static final List<String> BY_INDEX;

    static {
        String[] byId = new String[91];
        String[] pairs = {
            "1", "person", "2", "bicycle", "3", "car", "4", "motorcycle", "5", "airplane", "6", "bus",
            "7", "train", "8", "truck", "9", "boat", "10", "traffic light", "11", "fire hydrant",
            "13", "stop sign", "14", "parking meter", "15", "bench", "16", "bird", "17", "cat", "18", "dog",
            "19", "horse", "20", "sheep", "21", "cow", "22", "elephant", "23", "bear", "24", "zebra",
            "25", "giraffe", "27", "backpack", "28", "umbrella", "31", "handbag", "32", "tie",
            "33", "suitcase", "34", "frisbee", "35", "skis", "36", "snowboard", "37", "sports ball",
            "38", "kite", "39", "baseball bat", "40", "baseball glove", "41", "skateboard",
            "42", "surfboard", "43", "tennis racket", "44", "bottle", "46", "wine glass", "47", "cup",
            "48", "fork", "49", "knife", "50", "spoon", "51", "bowl", "52", "banana", "53", "apple",
            "54", "sandwich", "55", "orange", "56", "broccoli", "57", "carrot", "58", "hot dog",
            "59", "pizza", "60", "donut", "61", "cake", "62", "chair", "63", "couch", "64", "potted plant",
            "65", "bed", "67", "dining table", "70", "toilet", "72", "tv", "73", "laptop", "74", "mouse",
            "75", "remote", "76", "keyboard", "77", "cell phone", "78", "microwave", "79", "oven",
            "80", "toaster", "81", "sink", "82", "refrigerator", "84", "book", "85", "clock", "86", "vase",
            "87", "scissors", "88", "teddy bear", "89", "hair drier", "90", "toothbrush",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            byId[Integer.parseInt(pairs[i])] = pairs[i + 1];
        }
        List<String> l = new ArrayList<>();
        for (int id = 1; id <= 90; id++) {
            l.add(byId[id] == null ? "" : byId[id]);
        }
        BY_INDEX = Collections.unmodifiableList(l);
    }

    private CocoLabels() {
    }

    /** @return the 80 used labels in id order */
    public static List<String> names() {
        return BY_INDEX.stream().filter(s -> !s.isEmpty()).toList();
    }
}
