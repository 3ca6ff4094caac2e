/**
 * Synthetic face embeddings clustered like real ones ({@link io.argus.testkit.faces.SyntheticFaces}),
 * for the face index's tests and benchmark.
 */
package io.argus.testkit.faces;
