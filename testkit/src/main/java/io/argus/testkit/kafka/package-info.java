/**
 * The in-process single-node KRaft broker ({@link io.argus.testkit.kafka.EmbeddedKafka}) that the
 * launcher's embedded runtime and the tests of every module run on.
 */
package io.argus.testkit.kafka;
