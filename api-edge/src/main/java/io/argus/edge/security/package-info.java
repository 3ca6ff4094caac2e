/**
 * Security of the HTTP edge: who may call the API and as whom ({@link io.argus.edge.security.EdgeAuth}
 * over {@link io.argus.edge.security.ApiKeys} with roles and names, {@link io.argus.edge.security.JwtVerifier}
 * and {@link io.argus.edge.security.UrlSigner}, giving each request its
 * {@link io.argus.edge.security.Principal}) and {@link io.argus.edge.security.BodyLimitFilter} (how much a
 * request may send). Which URLs the edge and the stages may fetch is decided by
 * {@link io.argus.schemas.net.UrlGuard}.
 */
package io.argus.edge.security;
