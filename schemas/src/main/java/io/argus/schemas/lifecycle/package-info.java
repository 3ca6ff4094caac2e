/** Starting and stopping the parts of a stage: {@link io.argus.schemas.lifecycle.StartedParts}. */
package io.argus.schemas.lifecycle;
