#!/usr/bin/python3
"""RTSP test server for Argus tests: serves a video file on rtsp://127.0.0.1:PORT/clip.

Each client gets its own session starting at the file's beginning, re-encoded to H.264
(x264enc, zero latency, a keyframe every 10 frames) and sent with RTP over the transport the
client asks for (Argus asks for TCP). Uses Debian's gst-rtsp-server through PyGObject:
    apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 libgstrtspserver-1.0-0 \
        gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-libav
Usage: rtsp-server.py PORT VIDEO
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main(port: str, video: str) -> None:
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( filesrc location={video} ! decodebin ! videoconvert"
        " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10"
        " ! rtph264pay name=pay0 pt=96 config-interval=1 )")
    server.get_mount_points().add_factory("/clip", factory)
    server.attach(None)
    print(f"serving rtsp://127.0.0.1:{port}/clip", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
