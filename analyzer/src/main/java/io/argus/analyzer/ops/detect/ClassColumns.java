package io.argus.analyzer.ops.detect;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps a model's class k onto an op's label list where some labels are empty (unused ids, e.g.
 * COCO's 90-id map {@link CocoLabels#BY_INDEX}, of which models trained on COCO's 80 classes use the
 * non-empty ones in order).
 */
final class ClassColumns {

    private ClassColumns() {
    }

    /**
     * @param labels an op's labels
     * @return the indexes of the non-empty labels, in order: model class k → label index
     *     {@code of(labels)[k]}
     */
    static int[] of(List<String> labels) {
        return IntStream.range(0, labels.size()).filter(i -> !labels.get(i).isEmpty()).toArray();
    }
}
