/**
 * Network policy shared by every Argus stage: {@link io.argus.schemas.net.UrlGuard} decides
 * whether a URL given by an API client may be fetched (server-side request forgery defence), with
 * {@link io.argus.schemas.net.Cidr} blocks for its allow-list.
 */
package io.argus.schemas.net;
