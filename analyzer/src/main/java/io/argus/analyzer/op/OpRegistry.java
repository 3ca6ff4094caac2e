package io.argus.analyzer.op;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ops an analyzer can run, by name: those of the {@link OpPlugin}s on the class path and of
 * the ops configuration file ({@link OpsConfig}).
 */
public final class OpRegistry {

    /** System property naming the models directory. */
    public static final String MODELS_DIR_PROPERTY = "argus.models.dir";
    /** Environment variable naming the models directory (the system property wins). */
    public static final String MODELS_DIR_ENV = "ARGUS_MODELS_DIR";
    /** Models directory when neither is set, relative to the working directory. */
    public static final Path DEFAULT_MODELS_DIR = Path.of("data", "models");

    private final Map<String, OpProvider> providers = new TreeMap<>();
    private final Map<String, String> unavailable = new TreeMap<>();

    /**
     * @param providers the ops
     * @throws IllegalArgumentException when two share a name
     */
    public OpRegistry(Collection<OpProvider> providers) {
        this(providers, Map.of());
    }

    /**
     * @param providers   the ops
     * @param unavailable op name -> why it is unavailable and what to do ({@link OpPlugin#unavailable});
     *                    a name also among {@code providers} is left out
     * @throws IllegalArgumentException when two ops share a name
     */
    public OpRegistry(Collection<OpProvider> providers, Map<String, String> unavailable) {
        for (OpProvider p : providers) {
            if (this.providers.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("duplicate op " + p.name());
            }
        }
        unavailable.forEach((op, why) -> {
            if (!this.providers.containsKey(op)) {
                this.unavailable.putIfAbsent(op, why);
            }
        });
    }

    /**
     * @return the ops of {@link #builtin(Path)} with the models directory {@link #modelsDir()}
     */
    public static OpRegistry builtin() {
        return builtin(modelsDir());
    }

    /**
     * @param modelsDir where installed models live ({@code ./argus models install})
     * @return the ops of every installed plug-in ({@link OpPlugin#installed()}, each asked with
     *         {@code modelsDir}), then the ops defined in {@code <modelsDir>/ops.json}
     *         ({@link OpsConfig}). Analyzer's own plug-ins give {@code person} (OpenCV HOG people
     *         detector), {@code motion} (frame differencing against the previous frame) and, when
     *         the {@code faces} model is installed in {@code modelsDir}, {@code face_detect}
     *         (BlazeFace); a missing model is logged once per directory. When the {@code objects}
     *         model is installed, {@code detection} (SSD-MobileNetV2 COCO on ONNX Runtime) is added
     *         and {@code person} is that detector filtered to people; otherwise {@code person} is
     *         the HOG detector. The ops a plug-in cannot give with what is installed are
     *         {@link #unavailable()}, each with what to do (e.g. {@code detection}: "needs the
     *         objects model, not installed in d2/models: run ./argus models install --models-dir
     *         d2/models, then restart").
     * @throws IllegalArgumentException when {@code ops.json} is invalid (the message names the
     *         file and the op), or two ops share a name
     * @throws java.util.ServiceConfigurationError when a plug-in listed on the class path cannot be
     *         loaded
     */
    public static OpRegistry builtin(Path modelsDir) {
        List<OpProvider> ops = new ArrayList<>();
        Map<String, String> unavailable = new TreeMap<>();
        for (OpPlugin plugin : OpPlugin.installed()) {
            ops.addAll(plugin.providers(modelsDir));
            plugin.unavailable(modelsDir).forEach(unavailable::putIfAbsent);
        }
        ops.addAll(OpsConfig.loadFrom(modelsDir));
        return new OpRegistry(ops, unavailable);
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

    /**
     * @return op name -> why the op cannot run here and what to do, for ops a plug-in knows but
     *         cannot give with what is installed (none of them is in {@link #names()}), sorted by name
     */
    public Map<String, String> unavailable() {
        return java.util.Collections.unmodifiableMap(unavailable);
    }

    /** @return the providers, sorted by name */
    public Collection<OpProvider> all() {
        return providers.values();
    }
}
