package io.argus.edge.extract;

import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * A validated POST /frame or POST /flow: the request for ingest and its WAITING status, both keyed
 * by {@code request.getRequestId()}.
 *
 * @param request the request (topic argus.extractions)
 * @param waiting its WAITING status (topic argus.extraction-status), {@code frames} 0,
 *                {@code created_at} = {@code updated_at} = the request's {@code created_at}
 */
public record ParsedExtraction(ExtractionRequest request, ExtractionStatus waiting) {
}
