/**
 * Detector evaluation on the labelled frames of {@code eval/annotations.json} (COCO JSON): frames
 * decoded from their clips ({@link io.argus.launcher.eval.ClipFrames}), predictions of an op
 * matched to the truths ({@link io.argus.launcher.eval.Matching}), precision, recall and AP at IoU
 * 0.5 ({@link io.argus.launcher.eval.AveragePrecision}) and per-frame counting errors
 * ({@link io.argus.launcher.eval.EvalReport}). {@code argus eval} runs it.
 */
package io.argus.launcher.eval;
