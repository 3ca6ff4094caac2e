/**
 * Where accepted jobs and job commands go: {@link io.argus.edge.submit.JobSink}, with the Kafka
 * implementation {@link io.argus.edge.submit.KafkaJobSink} writing the WAITING status to the
 * job-status topic and then the request to the jobs topic; and
 * {@link io.argus.edge.submit.ControlSink}, with {@link io.argus.edge.submit.KafkaControlSink}
 * writing KILL commands to the control topic.
 */
package io.argus.edge.submit;
