/**
 * Identities: face traces grouped into people by incremental density clustering of their
 * embeddings ({@link io.argus.aggregator.identities.IdentityClustering}), and the users' changes to
 * them (name, merge, split, "not this person"). Plain state and logic; the Kafka Streams processor
 * that feeds it is {@code io.argus.aggregator.topology.IdentityProcessor}.
 */
package io.argus.aggregator.identities;
