package io.argus.schemas.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether Argus may fetch a network URL given by an API client (a video source, a hook
 * URL): the defence against server-side request forgery (SSRF) recommended by the OWASP "Server
 * Side Request Forgery Prevention Cheat Sheet" (validate the scheme, resolve the host, refuse
 * internal addresses, do not follow redirects blindly).
 *
 * <p>A URL is <b>refused</b> when
 * <ul>
 *   <li>its scheme is not one of {@link #SCHEMES} (local files are the caller's business), it is
 *       not absolute, it has no host, or its host carries an IPv6 zone id;</li>
 *   <li>its host ends in a number (e.g. {@code 2130706433}, {@code 127.1}, {@code 0x7f.1},
 *       {@code 010.0.0.1}) but is not a canonical dotted-quad IPv4 address: such spellings are
 *       read differently by different resolvers (inet_aton accepts them; the WHATWG URL standard
 *       "ends in a number" rule treats them as IPv4), so they are never let through;</li>
 *   <li>any address of its host (an IP literal, or every address {@link InetAddress#getAllByName}
 *       returns for a name) is in a special-purpose block, unless the host name or the address is
 *       in the allow-list.</li>
 * </ul>
 * Special-purpose blocks refused (from the IANA IPv4 and IPv6 Special-Purpose Address Registries,
 * RFC 6890, keeping the blocks that are not globally reachable or make no sense as a video or
 * hook server): IPv4 {@code 0.0.0.0/8} "this network" (RFC 791), {@code 10.0.0.0/8},
 * {@code 172.16.0.0/12}, {@code 192.168.0.0/16} private-use (RFC 1918), {@code 100.64.0.0/10}
 * shared address space / CGNAT (RFC 6598), {@code 127.0.0.0/8} loopback (RFC 1122),
 * {@code 169.254.0.0/16} link-local (RFC 3927; holds the cloud metadata address
 * {@code 169.254.169.254}), {@code 192.0.0.0/24} IETF protocol assignments (RFC 6890),
 * {@code 192.0.2.0/24}, {@code 198.51.100.0/24}, {@code 203.0.113.0/24} documentation (RFC 5737),
 * {@code 192.88.99.0/24} 6to4 relay anycast (RFC 7526), {@code 198.18.0.0/15} benchmarking
 * (RFC 2544), {@code 224.0.0.0/4} multicast (RFC 5771), {@code 240.0.0.0/4} reserved (RFC 1112),
 * which holds the limited broadcast address {@code 255.255.255.255} (RFC 919); IPv6 {@code ::/128}
 * unspecified and {@code ::1/128} loopback (RFC 4291), {@code ::/96} IPv4-compatible (deprecated,
 * RFC 4291 section 2.5.5.1), {@code 64:ff9b:1::/48} local-use NAT64 (RFC 8215), {@code 100::/64}
 * discard-only (RFC 6666), {@code 2001::/23} IETF protocol assignments (RFC 2928; holds Teredo
 * {@code 2001::/32}, RFC 4380), {@code 2001:db8::/32} and {@code 3fff::/20} documentation (RFC 3849,
 * RFC 9637), {@code 5f00::/16} SRv6 SIDs (RFC 9602), {@code fc00::/7} unique-local (RFC 4193),
 * {@code fe80::/10} link-local (RFC 4291), {@code fec0::/10} site-local (deprecated, RFC 3879),
 * {@code ff00::/8} multicast (RFC 4291). IPv6 addresses that embed an IPv4 address are judged by
 * that address: IPv4-mapped {@code ::ffff:0:0/96} (RFC 4291), NAT64 {@code 64:ff9b::/96}
 * (RFC 6052) and 6to4 {@code 2002::/16} (RFC 3056).
 *
 * <p>An unresolvable name is neither allowed nor refused: {@link Verdict#UNRESOLVED}. Callers
 * decide: the HTTP edge lets it through (the job then fails as today with "cannot find the
 * video"), a fetch fails.
 *
 * <p><b>Allow-list</b> ({@link #of(String)}): entries separated by commas or blanks, each
 * <ul>
 *   <li>a CIDR block or a single address ({@code 10.20.0.0/16}, {@code 192.168.1.7},
 *       {@code fd00::/8}): addresses inside are allowed (IPv4 blocks also match the IPv4-mapped,
 *       NAT64 and 6to4 forms of their addresses);</li>
 *   <li>a host name ({@code cams.internal}) or a wildcard {@code *.internal} (any name below
 *       {@code internal}, not {@code internal} itself): a URL whose host is that name is allowed
 *       without looking at its addresses;</li>
 *   <li>{@code loopback} ({@code 127.0.0.0/8} and {@code ::1}), {@code private}
 *       ({@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}, {@code fc00::/7});</li>
 *   <li>{@code *}: allow everything (no check at all, as before the guard existed).</li>
 * </ul>
 * The default allow-list is {@value #DEFAULT_ALLOW}: a single-machine install fetches from local
 * test servers and local RTMP servers. Setting an allow-list replaces the default, so a server
 * reachable by others should list exactly what it needs.
 *
 * <p>The guard answers for the moment it is asked: the fetch that follows resolves the name
 * again (the JVM caches positive answers for 30 s by default, {@code networkaddress.cache.ttl};
 * FFmpeg uses the system resolver), so a name whose DNS answer changes in between (DNS rebinding)
 * can still reach a refused address. Callers re-check at each hop to keep that window short.
 *
 * <p>Immutable and thread-safe; {@link #check} may block on DNS.
 */
public final class UrlGuard {

    /** Environment variable holding the allow-list of a process ({@link #fromSetting}). */
    public static final String ENV = "ARGUS_URL_ALLOW";
    /** The allow-list used when none is configured: loopback only. */
    public static final String DEFAULT_ALLOW = "loopback";
    /** Redirects a fetch of a checked URL follows at most, each hop checked again. */
    public static final int MAX_REDIRECTS = 5;
    /** Network schemes the guard knows; anything else is refused. */
    public static final Set<String> SCHEMES = Set.of("http", "https", "rtmp", "rtmps", "rtsp", "rtsps");

    /** What a check came to. */
    public enum Verdict {
        /** Every address of the host may be contacted (or the host or everything is allow-listed). */
        ALLOWED,
        /** The URL must not be fetched. */
        REFUSED,
        /** The host name did not resolve; nothing was decided about its addresses. */
        UNRESOLVED
    }

    /**
     * The answer of a check.
     *
     * @param verdict allowed, refused or unresolved
     * @param reason  for a refused or unresolved URL, a sentence for the API client: it names the
     *                host and the kind of address, never the addresses a name resolved to; null
     *                when allowed
     */
    public record Decision(Verdict verdict, String reason) {

        /** @return true when the URL may be fetched */
        public boolean allowed() {
            return verdict == Verdict.ALLOWED;
        }

        /** @return true when the URL must not be fetched */
        public boolean refused() {
            return verdict == Verdict.REFUSED;
        }

        static Decision allow() {
            return new Decision(Verdict.ALLOWED, null);
        }

        static Decision refuse(String reason) {
            return new Decision(Verdict.REFUSED, reason);
        }
    }

    /** Resolves a host name to its addresses, like {@link InetAddress#getAllByName}. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * @param host a host name (never an IP literal)
         * @return its addresses, at least one
         * @throws UnknownHostException when the name does not resolve
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A special-purpose block: the block, a name for messages, and its source. */
    private record Special(Cidr block, String name, String source) {
        static Special of(String cidr, String name, String source) {
            return new Special(Cidr.parse(cidr), name, source);
        }
    }

    private static final List<Special> SPECIAL_V4 = List.of(
            Special.of("0.0.0.0/8", "this network", "RFC 791"),
            Special.of("10.0.0.0/8", "private-use", "RFC 1918"),
            Special.of("100.64.0.0/10", "shared (CGNAT)", "RFC 6598"),
            Special.of("127.0.0.0/8", "loopback", "RFC 1122"),
            Special.of("169.254.0.0/16", "link-local", "RFC 3927"),
            Special.of("172.16.0.0/12", "private-use", "RFC 1918"),
            Special.of("192.0.0.0/24", "IETF protocol assignment", "RFC 6890"),
            Special.of("192.0.2.0/24", "documentation", "RFC 5737"),
            Special.of("192.88.99.0/24", "6to4 relay anycast", "RFC 7526"),
            Special.of("192.168.0.0/16", "private-use", "RFC 1918"),
            Special.of("198.18.0.0/15", "benchmarking", "RFC 2544"),
            Special.of("198.51.100.0/24", "documentation", "RFC 5737"),
            Special.of("203.0.113.0/24", "documentation", "RFC 5737"),
            Special.of("224.0.0.0/4", "multicast", "RFC 5771"),
            Special.of("255.255.255.255/32", "broadcast", "RFC 919"),
            Special.of("240.0.0.0/4", "reserved", "RFC 1112"));
    private static final List<Special> SPECIAL_V6 = List.of(
            Special.of("::/128", "unspecified", "RFC 4291"),
            Special.of("::1/128", "loopback", "RFC 4291"),
            Special.of("::/96", "IPv4-compatible (deprecated)", "RFC 4291"),
            Special.of("64:ff9b:1::/48", "local-use NAT64", "RFC 8215"),
            Special.of("100::/64", "discard-only", "RFC 6666"),
            Special.of("2001:db8::/32", "documentation", "RFC 3849"),
            Special.of("2001::/23", "IETF protocol assignment", "RFC 2928"),
            Special.of("3fff::/20", "documentation", "RFC 9637"),
            Special.of("5f00::/16", "SRv6 SID", "RFC 9602"),
            Special.of("fc00::/7", "unique-local", "RFC 4193"),
            Special.of("fe80::/10", "link-local", "RFC 4291"),
            Special.of("fec0::/10", "site-local (deprecated)", "RFC 3879"),
            Special.of("ff00::/8", "multicast", "RFC 4291"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    private static final List<Cidr> PRIVATE = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("fc00::/7"));
    /** A host name: labels of letters, digits, '-' and '_', dot-separated. */
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    /** A label the WHATWG URL standard reads as an IPv4 number (decimal, octal or hex). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9A-Fa-f]*");

    private static final UrlGuard ALLOW_ALL = new UrlGuard(true, List.of(), Set.of(), List.of(),
            InetAddress::getAllByName, "*");

    private final boolean allowAll;
    private final List<Cidr> allowedBlocks;
    private final Set<String> allowedNames;
    private final List<String> allowedSuffixes;
    private final Resolver resolver;
    private final String spec;

    private UrlGuard(boolean allowAll, List<Cidr> blocks, Set<String> names, List<String> suffixes,
                     Resolver resolver, String spec) {
        this.allowAll = allowAll;
        this.allowedBlocks = List.copyOf(blocks);
        this.allowedNames = Set.copyOf(names);
        this.allowedSuffixes = List.copyOf(suffixes);
        this.resolver = resolver;
        this.spec = spec;
    }

    /** @return a guard that allows every URL of a known scheme with a host: no address check */
    public static UrlGuard allowAll() {
        return ALLOW_ALL;
    }

    /** @return a guard with the default allow-list {@value #DEFAULT_ALLOW} */
    public static UrlGuard defaults() {
        return of(DEFAULT_ALLOW);
    }

    /**
     * @param allowList allow-list entries separated by commas or blanks (see the class comment);
     *                  null or blank allows no special-purpose address at all
     * @return the guard
     * @throws IllegalArgumentException for an entry that is neither a CIDR block, an address, a
     *                                  host name, {@code *.name}, {@code loopback},
     *                                  {@code private} nor {@code *}
     */
    public static UrlGuard of(String allowList) {
        List<Cidr> blocks = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<String> suffixes = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String raw : (allowList == null ? "" : allowList).split("[,\\s]+")) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            entries.add(e);
            switch (e) {
                case "*" -> {
                    return new UrlGuard(true, List.of(), Set.of(), List.of(), InetAddress::getAllByName, "*");
                }
                case "loopback" -> blocks.addAll(LOOPBACK);
                case "private" -> blocks.addAll(PRIVATE);
                default -> {
                    if (e.startsWith("*.")) {
                        String suffix = stripDot(e.substring(2));
                        if (!HOST_NAME.matcher(suffix).matches()) {
                            throw new IllegalArgumentException("bad allow-list entry '" + raw.trim() + "'");
                        }
                        suffixes.add("." + suffix);
                    } else if (e.indexOf(':') >= 0 || e.indexOf('/') >= 0 || Cidr.DOTTED_QUAD.matcher(e).matches()) {
                        blocks.add(Cidr.parse(e));
                    } else {
                        String name = stripDot(e);
                        if (!HOST_NAME.matcher(name).matches() || endsInNumber(name)) {
                            throw new IllegalArgumentException("bad allow-list entry '" + raw.trim()
                                    + "': expected a CIDR block, an IP address, a host name, *.domain, "
                                    + "loopback, private or *");
                        }
                        names.add(name);
                    }
                }
            }
        }
        return new UrlGuard(false, blocks, names, suffixes, InetAddress::getAllByName, String.join(",", entries));
    }

    /**
     * The guard of a process: the command-line value when given, else the environment variable
     * {@value #ENV}, else {@link #DEFAULT_ALLOW}.
     *
     * @param option      the value of a command-line option such as {@code --url-allow}, or null
     *                    when the option was not given
     * @param environment the process environment ({@link System#getenv()})
     * @return the guard
     * @throws IllegalArgumentException for a bad allow-list entry ({@link #of})
     */
    public static UrlGuard fromSetting(String option, Map<String, String> environment) {
        if (option != null) {
            return of(option);
        }
        String env = environment == null ? null : environment.get(ENV);
        return of(env != null ? env : DEFAULT_ALLOW);
    }

    /**
     * @param other how host names are resolved (e.g. a resolver with a timeout)
     * @return this guard resolving names with {@code other}
     */
    public UrlGuard withResolver(Resolver other) {
        return new UrlGuard(allowAll, allowedBlocks, allowedNames, allowedSuffixes,
                Objects.requireNonNull(other, "resolver"), spec);
    }

    /** @return true when this guard checks nothing beyond the scheme and the host's presence */
    public boolean allowsAll() {
        return allowAll;
    }

    /** @return the allow-list as configured, lower-case, comma-separated ({@code *} for all) */
    public String allowList() {
        return spec;
    }

    /**
     * @param url an absolute URL as given by a client
     * @return the decision; a string that is not a valid URI is refused
     */
    public Decision check(String url) {
        if (url == null || url.isBlank()) {
            return Decision.refuse("the URL is empty");
        }
        try {
            return check(new URI(url));
        } catch (URISyntaxException e) {
            return Decision.refuse("the URL is not valid: " + e.getReason());
        }
    }

    /**
     * Checks a URL: scheme, host spelling, then the host's addresses (resolving a name, which may
     * block on DNS).
     *
     * @param uri an absolute URI
     * @return the decision (see the class comment)
     */
    public Decision check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Decision.refuse("the scheme '" + scheme + "' is not allowed; use one of http, https, rtmp, "
                    + "rtmps, rtsp, rtsps");
        }
        String host = uri.getHost();
        if ((host == null || host.isEmpty()) && uri.getRawAuthority() != null) {
            // java.net.URI found no server-based authority: e.g. 2130706433, 0x7f.1, or a name with
            // characters a host name cannot have; other parsers may still read a host there
            return Decision.refuse("the host of the URL is not a valid host name or a canonical IP address");
        }
        if (host == null || host.isEmpty()) {
            return Decision.refuse("the URL has no host");
        }
        if (allowAll) {
            return Decision.allow();
        }
        return checkHost(host);
    }

    /**
     * Checks a host as it appears in a URL (name, dotted quad, or bracketed IPv6 literal).
     *
     * @param urlHost the host part of a URL
     * @return the decision
     */
    public Decision checkHost(String urlHost) {
        if (allowAll) {
            return Decision.allow();
        }
        String host = stripDot(urlHost.toLowerCase(Locale.ROOT));
        if (host.indexOf('%') >= 0) {
            return Decision.refuse("the host '" + urlHost + "' carries an IPv6 zone id, which is not allowed");
        }
        boolean bracketed = host.startsWith("[");
        Optional<InetAddress> literal = Cidr.literal(host);
        if (literal.isPresent()) {
            return checkAddress(literal.get(), null);
        }
        if (bracketed || host.indexOf(':') >= 0) {
            return Decision.refuse("the host '" + urlHost + "' is not a valid IPv6 address");
        }
        if (endsInNumber(host)) {
            return Decision.refuse("the host '" + urlHost + "' is not a canonical IPv4 address (write it as four "
                    + "decimal numbers, e.g. 192.0.2.1), so its address is not allowed");
        }
        if (nameAllowed(host)) {
            return Decision.allow();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Decision(Verdict.UNRESOLVED, "the host '" + urlHost + "' cannot be resolved");
        }
        if (addresses == null || addresses.length == 0) {
            return new Decision(Verdict.UNRESOLVED, "the host '" + urlHost + "' cannot be resolved");
        }
        for (InetAddress a : addresses) {
            Decision d = checkAddress(a, host);
            if (!d.allowed()) {
                return d;
            }
        }
        return Decision.allow();
    }

    /**
     * @param address an address a URL's host resolved to, or an IP literal
     * @return allowed when the address is in the allow-list or in no special-purpose block
     */
    public Decision checkAddress(InetAddress address) {
        return checkAddress(address, null);
    }

    private Decision checkAddress(InetAddress address, String name) {
        if (allowAll || addressAllowed(address)) {
            return Decision.allow();
        }
        Optional<String> special = specialPurpose(address);
        if (special.isEmpty()) {
            return Decision.allow();
        }
        String what = name == null
                ? address.getHostAddress() + " is a special-purpose address: "
                : "the host '" + name + "' resolves to a special-purpose address: ";
        return Decision.refuse("the address is not allowed: " + what + special.get() + "; "
                + allowHint(name == null ? address.getHostAddress() : name));
    }

    /**
     * How an operator lets a refused host through, for the end of a refusal's reason.
     *
     * @param entry the allow-list entry that would let it through: the host name as written, or
     *              the address of an IP literal (never an address a name resolved to)
     * @return e.g. {@code "to allow it, start Argus with --url-allow 192.168.1.5 (or
     *         ARGUS_URL_ALLOW=192.168.1.5; the list replaces the default, entries separated by
     *         commas)"}
     */
    public static String allowHint(String entry) {
        return "to allow it, start Argus with --url-allow " + entry + " (or " + ENV + "=" + entry
                + "; the list replaces the default, entries separated by commas)";
    }

    /**
     * Names the special-purpose block an address is in (see the class comment for the blocks).
     *
     * @param address an IPv4 or IPv6 address
     * @return e.g. {@code "loopback (RFC 1122)"}, or empty for an ordinary (globally reachable)
     *         address
     */
    public static Optional<String> specialPurpose(InetAddress address) {
        Optional<Inet4Address> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return specialPurpose(embedded.get()).map(s -> "IPv4-embedding " + s);
        }
        List<Special> table = address instanceof Inet4Address ? SPECIAL_V4 : SPECIAL_V6;
        for (Special s : table) {
            if (s.block().contains(address)) {
                return Optional.of(s.name() + " (" + s.source() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * @param address an address
     * @return the IPv4 address embedded in an IPv4-mapped ({@code ::ffff:0:0/96}, RFC 4291), NAT64
     *         ({@code 64:ff9b::/96}, RFC 6052) or 6to4 ({@code 2002::/16}, RFC 3056) IPv6 address
     */
    static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (NAT64.contains(address)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (SIX_TO_FOUR.contains(address)) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        }
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean addressAllowed(InetAddress address) {
        Optional<Inet4Address> embedded = embeddedIpv4(address);
        for (Cidr c : allowedBlocks) {
            if (c.contains(address) || (embedded.isPresent() && c.contains(embedded.get()))) {
                return true;
            }
        }
        return false;
    }

    private boolean nameAllowed(String host) {
        if (allowedNames.contains(host)) {
            return true;
        }
        for (String suffix : allowedSuffixes) {
            if (host.endsWith(suffix) && host.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    /** WHATWG URL standard, "ends in a number checker": the last label is a decimal, octal or hex number. */
    private static boolean endsInNumber(String host) {
        int dot = host.lastIndexOf('.');
        String last = dot < 0 ? host : host.substring(dot + 1);
        return !last.isEmpty() && NUMERIC_LABEL.matcher(last).matches();
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** @return the guard and its allow-list, e.g. {@code UrlGuard[allow=loopback]} */
    @Override
    public String toString() {
        return "UrlGuard[allow=" + (spec.isEmpty() ? "none" : spec) + "]";
    }

    /** @return the allow-list's CIDR blocks, for logs and tests */
    public List<Cidr> allowedBlocks() {
        return Collections.unmodifiableList(allowedBlocks);
    }
}
