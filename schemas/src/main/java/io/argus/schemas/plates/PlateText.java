package io.argus.schemas.plates;

import java.util.Locale;

/**
 * The normal form of plate text, for reads (op plate) and for queries (plate search) alike: upper case (ROOT locale), and
 * only letters and digits of any script kept — spaces, hyphens, dots, middle dots and other
 * separators dropped, so {@code "ls15 ebc"}, {@code "LS15-EBC"} and {@code "LS15EBC"} are one
 * plate, and a Chinese plate such as {@code "京A·12345"} keeps its Han character.
 */
public final class PlateText {

    /** Longest text kept, characters (no plate format has more than 10; a longer input is cut). */
    public static final int MAX_LENGTH = 16;

    private PlateText() {
    }

    /**
     * @param raw text as read or as typed, or null
     * @return its normal form, at most {@value #MAX_LENGTH} characters; empty for null or text
     *         without letters and digits
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        raw.toUpperCase(Locale.ROOT).codePoints()
                .filter(Character::isLetterOrDigit)
                .limit(MAX_LENGTH)
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
