/**
 * Image-quality measures for face crops: {@link io.argus.media.quality.BlurDetect}, FFmpeg's
 * {@code blurdetect} sharpness measure run in process, used to pick the least blurry face of a trace
 * (media-api.html, "representative-face").
 */
package io.argus.media.quality;
