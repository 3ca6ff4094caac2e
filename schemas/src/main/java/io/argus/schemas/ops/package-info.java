/**
 * What an op accepts, shared by the analyzer (each op declares it) and the edge (which checks a
 * job's {@code ops[].params} against it before accepting the job and lists it at
 * {@code GET /v1/ops}): {@link io.argus.schemas.ops.OpParam}.
 */
package io.argus.schemas.ops;
