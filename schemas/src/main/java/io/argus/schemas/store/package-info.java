/**
 * Frame-store key rules shared by every Argus stage: {@link io.argus.schemas.store.KeyRules} says
 * which keys a store accepts and checks user input (video ids, {@code params.save.prefix}) that
 * becomes part of a key.
 */
package io.argus.schemas.store;
