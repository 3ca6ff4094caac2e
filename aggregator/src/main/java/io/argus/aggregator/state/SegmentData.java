package io.argus.aggregator.state;

import java.util.List;
import java.util.Map;

/**
 * A closed segment, kept until its op's result is written.
 *
 * @param index       0-based order of closing within the op
 * @param offsetBegin offset in ms of the first frame
 * @param offsetEnd   offset in ms of the last frame
 * @param labels      each label with its maximum score in [0, 1] over the segment, first-seen order
 * @param cuts        the segment's frames in order
 */
public record SegmentData(int index, long offsetBegin, long offsetEnd, Map<String, Float> labels, List<CutData> cuts) {
}
