/**
 * The built-in ops, each family with its {@link io.argus.analyzer.op.OpPlugin} (listed in
 * analyzer's {@code META-INF/services/io.argus.analyzer.op.OpPlugin}): {@code person} and
 * {@code detection} (and, when their optional models are installed, {@code detection-nanodet} and
 * {@code detection-centernet}; {@link io.argus.analyzer.ops.DetectionPlugin}), {@code motion}
 * ({@link io.argus.analyzer.ops.MotionPlugin}), {@code face_detect}
 * ({@link io.argus.analyzer.ops.FaceDetectionPlugin}), and the configured kinds {@code onnx}
 * ({@link io.argus.analyzer.ops.detect.OnnxKindPlugin}) and {@code remote}
 * ({@link io.argus.analyzer.ops.remote.RemoteKindPlugin}). These classes use the op interface
 * ({@link io.argus.analyzer.op}); it never refers to them.
 */
package io.argus.analyzer.ops;
