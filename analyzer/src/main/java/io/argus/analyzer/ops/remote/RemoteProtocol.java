package io.argus.analyzer.ops.remote;

import java.net.URI;

import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;

/** How a remote op talks to its service: the endpoint, the request for a frame, the answer's meaning. */
interface RemoteProtocol {

    /** @return the URI requests are POSTed to */
    URI endpoint();

    /**
     * @param bgr     the frame, 8-bit 3-channel BGR
     * @param context the frame event and its stored JPEG, or null when the op runs without one
     * @return the request body, JSON
     * @throws Exception when the frame cannot be read or encoded
     */
    byte[] request(Mat bgr, OpContext context) throws Exception;

    /**
     * @param answer the service's answer, any status
     * @param width  frame width, pixels (boxes are clipped to it)
     * @param height frame height, pixels
     * @return labels, detections in frame pixels and the raw result
     * @throws RemoteException when the answer is an error or cannot be mapped
     */
    OpOutput answer(HttpPoster.Answer answer, int width, int height) throws RemoteException;
}
