/**
 * The aggregation rules of DESIGN.md "Argus semantics" as plain Java, with no Kafka in sight:
 * label selection ({@link io.argus.aggregator.rules.LabelSelector}), segments
 * ({@link io.argus.aggregator.rules.SegmentBuilder}) and early terminate
 * ({@link io.argus.aggregator.rules.TerminateCounter}).
 *
 * <p>Labels are maps from label name to score (a confidence in [0, 1]) that keep insertion order;
 * offsets are ms from the source start. The state these classes carry between frames is held in
 * small records ({@link io.argus.aggregator.rules.SegmentDraft},
 * {@link io.argus.aggregator.rules.TerminateRule}) so the caller can persist it.
 */
package io.argus.aggregator.rules;
