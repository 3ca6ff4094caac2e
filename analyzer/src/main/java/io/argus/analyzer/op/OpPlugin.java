package io.argus.analyzer.op;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A source of ops, found on the class path with {@link ServiceLoader}: the built-in ops are
 * plug-ins like any other, so a jar on the class path adds ops without a change to Argus.
 *
 * <p>A plug-in gives ops ({@link #providers(Path)}) and/or kinds of ops that the ops
 * configuration file can define ({@link #kinds()}, see {@link OpsConfig}). Ops need the models
 * directory (to find their installed models and leave themselves out when a model is missing),
 * which is why the service is a factory of {@link OpProvider}s and not the providers themselves.
 *
 * <p>To add an op:
 * <ol>
 *   <li>implement {@link Op} (one instance per analyzer thread) and an {@link OpProvider} naming
 *       it and declaring the params it reads ({@link OpProvider#params()}; any other key of
 *       {@code ops[].params} is refused by the edge) ({@link OpProvider#of} when the op needs no
 *       model);</li>
 *   <li>implement this interface in a public class with a public no-argument constructor, e.g.
 *       <pre>{@code
 * public final class MyPlugin implements OpPlugin {
 *     public List<OpProvider> providers(Path modelsDir) {
 *         return List.of(OpProvider.of("my_op", List.of("my_label"), MyOp::new));
 *     }
 * }}</pre></li>
 *   <li>list the class, one fully qualified name a line, in the jar's resource
 *       {@code META-INF/services/io.argus.analyzer.op.OpPlugin};</li>
 *   <li>put the jar on the class path of the process that runs the analyzer, e.g.
 *       {@code java -cp launcher/target/argus.jar:my-ops.jar io.argus.launcher.cli.ArgusCommand ...}
 *       (argus.jar's manifest still brings in its own libraries).</li>
 * </ol>
 * The op is then listed by {@code GET /v1/ops} and usable in {@code ops[].op} of a job request.
 * Op names are unique: a plug-in's op named like another op makes the registry refuse to build
 * ({@link OpRegistry#OpRegistry(java.util.Collection)}).
 *
 * <p>The built-in plug-ins are listed in analyzer's own services file, in the order their ops
 * were always built: {@code detection} and {@code person}, {@code motion}, {@code face_detect},
 * then the {@code onnx} and {@code remote} kinds.
 */
public interface OpPlugin {

    /**
     * Called each time a registry is built ({@link OpRegistry#builtin(Path)}), so a model installed
     * since the last call is picked up.
     *
     * @param modelsDir where installed models live ({@code ./argus models install}); it may not exist
     * @return the plug-in's ops that can run with what is installed there, in a fixed order; none
     *         by default. A plug-in whose model is missing leaves its op out (and may log why)
     *         rather than throwing.
     */
    default List<OpProvider> providers(Path modelsDir) {
        return List.of();
    }

    /**
     * Called with {@link #providers(Path)}, so that a job naming an op the plug-in could give but
     * cannot with what is installed is told why and what to do (the edge's 400 "bad op" detail).
     *
     * @param modelsDir where installed models live; it may not exist
     * @return op name -> why it is unavailable and how to make it available (e.g. the command
     *         that installs its model into {@code modelsDir}); none by default
     */
    default Map<String, String> unavailable(Path modelsDir) {
        return Map.of();
    }

    /**
     * Read once per JVM, the first time a kind is looked up ({@link OpKinds}).
     *
     * @return kinds of configured ops by their {@code kind} value; none by default
     */
    default Map<String, OpKinds.Factory> kinds() {
        return Map.of();
    }

    /**
     * @return the plug-ins listed in every {@code META-INF/services/io.argus.analyzer.op.OpPlugin}
     *         visible to the current thread's context class loader, in class-path order, and in
     *         file order within one file (so the built-ins come in the order of analyzer's file)
     * @throws java.util.ServiceConfigurationError when a listed class is missing, not an
     *         {@code OpPlugin} or cannot be instantiated
     */
    static List<OpPlugin> installed() {
        List<OpPlugin> out = new ArrayList<>();
        ServiceLoader.load(OpPlugin.class).forEach(out::add);
        return out;
    }
}
