/**
 * The op interface: what an analyzer runs on a frame ({@link io.argus.analyzer.op.Op},
 * {@link io.argus.analyzer.op.OpOutput}, {@link io.argus.analyzer.op.OpContext}), how ops are named
 * and instantiated ({@link io.argus.analyzer.op.OpProvider}) and where they come from
 * ({@link io.argus.analyzer.op.OpRegistry}): the {@link io.argus.analyzer.op.OpPlugin}s found on
 * the class path with {@link java.util.ServiceLoader}, and the ops configuration file
 * ({@link io.argus.analyzer.op.OpsConfig}, kinds in {@link io.argus.analyzer.op.OpKinds}).
 *
 * <p>This package depends on no op: the built-in ops are plug-ins listed in analyzer's
 * {@code META-INF/services/io.argus.analyzer.op.OpPlugin}, and an op from another jar is added the
 * same way (see {@link io.argus.analyzer.op.OpPlugin} for the steps).
 */
package io.argus.analyzer.op;
