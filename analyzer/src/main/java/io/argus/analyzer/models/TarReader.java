package io.argus.analyzer.models;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal streaming reader for (uncompressed) ustar/pax/GNU tar, enough for npm tarballs. Package
 * private; {@link ModelInstaller} validates entry names.
 */
final class TarReader {
    /** One entry; {@link #data()} is valid until the next call to {@link TarReader#next()}. */
    record Entry(String name, char type, long size) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final InputStream in;
    private long remaining; // bytes of the current entry's data not yet consumed
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** @return the next file/dir/link entry, or null at the end of the archive */
    Entry next() throws IOException {
        skipRest();
        String longName = null;
        while (true) {
            byte[] h = in.readNBytes(512);
            if (h.length == 0) {
                return null;
            }
            if (h.length < 512) {
                throw new EOFException("truncated tar header");
            }
            if (allZero(h)) {
                return null;
            }
            verifyChecksum(h);
            char type = (char) h[156];
            long size = parseNumber(h, 124, 12);
            if (size < 0) {
                throw new IOException("negative tar entry size");
            }
            String name = str(h, 0, 100);
            if (str(h, 257, 5).equals("ustar")) {
                String prefix = str(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            remaining = size;
            padding = (512 - size % 512) % 512;
            if (type == 'L' || type == 'x' || type == 'g' || type == 'K') {
                if (size > 1 << 20) {
                    throw new IOException("oversized tar meta header");
                }
                byte[] data = readData();
                if (type == 'L') {
                    longName = cstr(data);
                } else if (type == 'x') {
                    String p = paxPath(data);
                    if (p != null) {
                        longName = p;
                    }
                }
                continue;
            }
            return new Entry(longName != null ? longName : name, type, size);
        }
    }

    /** @return a stream over the current entry's data (do not close the reader through it) */
    InputStream data() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("truncated tar entry");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("truncated tar entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private byte[] readData() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data().transferTo(out);
        skipRest();
        return out.toByteArray();
    }

    private void skipRest() throws IOException {
        long n = remaining + padding;
        remaining = 0;
        padding = 0;
        if (n > 0) {
            in.skipNBytes(n);
        }
    }

    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        String path = null;
        int i = 0;
        while (i < s.length()) {
            int sp = s.indexOf(' ', i);
            if (sp < 0) {
                break;
            }
            int len = Integer.parseInt(s.substring(i, sp));
            String rec = s.substring(sp + 1, Math.min(s.length(), i + len)).strip();
            if (rec.startsWith("path=")) {
                path = rec.substring(5);
            }
            i += len;
        }
        return path;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long want = parseNumber(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != want) {
            throw new IOException("bad tar header checksum");
        }
    }

    private static long parseNumber(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) { // GNU base-256
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        String s = str(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad octal number in tar header: " + s);
        }
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cstr(byte[] b) {
        return str(b, 0, b.length);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
