package io.argus.analyzer.op;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.ops.BlazeFaceOp;
import io.argus.analyzer.ops.MotionOp;
import io.argus.analyzer.ops.PersonHogOp;
import io.argus.analyzer.ops.detect.ObjectDetection;

/** The ops an analyzer can run, by name. */
public final class OpRegistry {

    /** System property naming the models directory. */
    public static final String MODELS_DIR_PROPERTY = "argus.models.dir";
    /** Environment variable naming the models directory (the system property wins). */
    public static final String MODELS_DIR_ENV = "ARGUS_MODELS_DIR";
    /** Models directory when neither is set, relative to the working directory. */
    public static final Path DEFAULT_MODELS_DIR = Path.of("data", "models");

    private static final Logger LOG = LoggerFactory.getLogger(OpRegistry.class);
    /** "op:dir" pairs already reported unavailable, so each is logged once per JVM. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private final Map<String, OpProvider> providers = new TreeMap<>();

    /**
     * @param providers the ops
     * @throws IllegalArgumentException when two share a name
     */
    public OpRegistry(Collection<OpProvider> providers) {
        for (OpProvider p : providers) {
            if (this.providers.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("duplicate op " + p.name());
            }
        }
    }

    /**
     * @return the built-in ops with models from {@link #modelsDir()}: see {@link #builtin(Path)}
     */
    public static OpRegistry builtin() {
        return builtin(modelsDir());
    }

    /**
     * @param modelsDir where installed models live ({@code ./argus models install})
     * @return the built-in ops: {@code person} (OpenCV HOG people detector), {@code motion}
     *         (frame differencing against the previous frame) and, when the
     *         {@code faces} model is installed in {@code modelsDir}, {@code face_detect}
     *         (BlazeFace); a missing model is logged once per directory. When the {@code objects}
     *         model is installed, {@code detection} (SSD-MobileNetV2 COCO on ONNX Runtime) is added
     *         and {@code person} is that detector filtered to people ({@link ObjectDetection});
     *         otherwise {@code person} is the HOG detector. Ops defined in
     *         {@code <modelsDir>/ops.json} ({@link OpsConfig}) are added last.
     * @throws IllegalArgumentException when {@code ops.json} is invalid (the message names the
     *         file and the op)
     */
    public static OpRegistry builtin(Path modelsDir) {
        List<OpProvider> ops = new ArrayList<>();
        if (ObjectDetection.available(modelsDir)) {
            ops.add(ObjectDetection.detection(modelsDir));
            ops.add(ObjectDetection.person(modelsDir));
        } else {
            ops.add(PersonHogOp.provider());
            if (REPORTED.add(ObjectDetection.NAME + ":" + modelsDir.toAbsolutePath().normalize())) {
                LOG.warn("op {} unavailable and op person falls back to the HOG detector: {} (models dir {})",
                        ObjectDetection.NAME, ModelException.notInstalled(ModelSpec.OBJECTS.name()).getMessage(),
                        modelsDir.toAbsolutePath());
            }
        }
        ops.add(MotionOp.provider());
        if (BlazeFaceOp.Provider.available(modelsDir)) {
            ops.add(new BlazeFaceOp.Provider(modelsDir));
        } else if (REPORTED.add(BlazeFaceOp.NAME + ":" + modelsDir.toAbsolutePath().normalize())) {
            LOG.warn("op {} unavailable: {} (models dir {})", BlazeFaceOp.NAME,
                    ModelException.notInstalled(ModelSpec.FACES.name()).getMessage(), modelsDir.toAbsolutePath());
        }
        ops.addAll(OpsConfig.loadFrom(modelsDir));
        return new OpRegistry(ops);
    }

    /**
     * @return the models directory: system property {@value #MODELS_DIR_PROPERTY}, else environment
     *         variable {@value #MODELS_DIR_ENV}, else {@code data/models}
     */
    public static Path modelsDir() {
        String p = System.getProperty(MODELS_DIR_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(MODELS_DIR_ENV);
        }
        return p == null || p.isBlank() ? DEFAULT_MODELS_DIR : Path.of(p);
    }

    /**
     * @param name op name
     * @return the op, or empty when unknown
     */
    public Optional<OpProvider> get(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** @return op names, sorted */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }

    /** @return the providers, sorted by name */
    public Collection<OpProvider> all() {
        return providers.values();
    }
}
