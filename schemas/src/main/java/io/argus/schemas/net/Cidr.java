package io.argus.schemas.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IP addresses in CIDR notation: an address and a prefix length (RFC 4632 section 3.1
 * for IPv4, RFC 4291 section 2.3 for IPv6), e.g. {@code 10.0.0.0/8} or {@code fc00::/7}. A single
 * address without {@code /n} is a block of one ({@code /32} or {@code /128}).
 *
 * <p>Parsing never touches DNS: IPv4 must be written as a canonical dotted quad (four decimal
 * numbers 0-255 without leading zeros), IPv6 as an RFC 4291 section 2.2 literal, optionally in
 * brackets, without a zone id. Immutable and thread-safe.
 */
public final class Cidr {

    /** A canonical dotted-quad IPv4 address: four decimal numbers 0-255, no leading zeros. */
    static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        mask(this.network, prefix);
    }

    /**
     * @param text {@code address/prefix} or a single address, e.g. {@code 192.168.0.0/16},
     *             {@code 127.0.0.1}, {@code ::1/128}, {@code [fd00::]/8}
     * @return the block (the host bits of the address are cleared)
     * @throws IllegalArgumentException when the text is not an IP literal with an optional prefix
     *                                  length within 0-32 (IPv4) or 0-128 (IPv6)
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = literal(addr).orElseThrow(() ->
                new IllegalArgumentException("not an IP address or CIDR block: " + text));
        int bits = a.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("prefix length above " + bits + " in " + text);
            }
        }
        return new Cidr(a.getAddress(), prefix);
    }

    /**
     * Parses an IP literal without any DNS lookup.
     *
     * @param host a canonical dotted-quad IPv4 address, or an IPv6 literal (brackets allowed)
     * @return the address, or empty when the text is not such a literal (e.g. a host name, an IPv4
     *         address in a non-canonical form such as {@code 127.1}, or an IPv6 zone id)
     */
    public static Optional<InetAddress> literal(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            if (DOTTED_QUAD.matcher(h).matches()) {
                String[] parts = h.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    b[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (h.indexOf(':') >= 0 && h.indexOf('%') < 0 && h.matches("[0-9A-Fa-f:.]+")) {
                // a string with ':' is parsed as an IPv6 literal; it is never looked up in DNS
                return Optional.of(InetAddress.getByName(h));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * @param address an address
     * @return true when the address is of the block's family and within it (an IPv4 block does
     *         not match IPv6 addresses; callers unwrap IPv4-mapped forms themselves)
     */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        mask(a, prefix);
        return Arrays.equals(a, network);
    }

    /** @return true for an IPv4 block */
    public boolean isIpv4() {
        return network.length == 4;
    }

    /** @return the prefix length in bits */
    public int prefixLength() {
        return prefix;
    }

    private static void mask(byte[] b, int prefix) {
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
    }

    /** @return e.g. {@code 10.0.0.0/8} or {@code fc00:0:0:0:0:0:0:0/7} */
    @Override
    public String toString() {
        try {
            InetAddress a = InetAddress.getByAddress(network);
            String s = a instanceof Inet6Address ? a.getHostAddress().toLowerCase(Locale.ROOT) : a.getHostAddress();
            return s + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }
}
