/**
 * Security of the HTTP edge: {@link io.argus.edge.security.ApiKeys} (who may call the API) and
 * {@link io.argus.edge.security.BodyLimitFilter} (how much a request may send). Which URLs the
 * edge and the stages may fetch is decided by {@link io.argus.schemas.net.UrlGuard}.
 */
package io.argus.edge.security;
