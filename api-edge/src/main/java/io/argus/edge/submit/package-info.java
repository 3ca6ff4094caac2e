/**
 * Where accepted jobs go: {@link io.argus.edge.submit.JobSink}, with the Kafka implementation
 * {@link io.argus.edge.submit.KafkaJobSink} writing the WAITING status to the job-status topic and
 * then the request to the jobs topic.
 */
package io.argus.edge.submit;
