package io.argus.analyzer.ops.plate;

import io.argus.schemas.plates.PlateText;
import java.util.Locale;
import java.util.Map;

/**
 * A regional plate format that says which kind of character belongs at each position, and the
 * fixes of confusable characters it allows: where a digit belongs, {@code O→0, I→1, B→8, S→5,
 * Z→2}; where a letter belongs, the reverse. Nothing is changed at a position the format leaves
 * open, nor in a text whose length does not fit.
 *
 * <p>Pattern letters: {@code A} a Latin letter, {@code 9} a digit, {@code ?} either. Named formats
 * ({@link #named}): {@code uk} {@code AA99AAA} (the current GB format since 2001, DVLA INF104),
 * {@code us-ca} {@code 9AAA999} (California since 1980), {@code eu-de} is not fixed-length and has
 * no entry.
 */
public final class PlateFormat {

    private static final Map<Character, Character> TO_DIGIT = Map.of('O', '0', 'I', '1', 'B', '8', 'S', '5', 'Z', '2');
    private static final Map<Character, Character> TO_LETTER = Map.of('0', 'O', '1', 'I', '8', 'B', '5', 'S', '2', 'Z');
    private static final Map<String, String> NAMED = Map.of("uk", "AA99AAA", "us-ca", "9AAA999");

    private final String name;
    private final String pattern;

    private PlateFormat(String name, String pattern) {
        this.name = name;
        this.pattern = pattern;
    }

    /**
     * @param pattern e.g. {@code AA99AAA}: 1 to 16 of {@code A}, {@code 9}, {@code ?}
     * @return the format
     * @throws IllegalArgumentException for another character or length
     */
    public static PlateFormat of(String pattern) {
        if (pattern == null || !pattern.matches("[A9?]{1,16}")) {
            throw new IllegalArgumentException("a plate format is 1 to 16 of A (letter), 9 (digit) and ? (either), was '"
                    + pattern + "'");
        }
        return new PlateFormat(pattern, pattern);
    }

    /**
     * @param nameOrPattern a named format ({@code uk}, {@code us-ca}) or a pattern
     * @return the format
     * @throws IllegalArgumentException for an unknown name or a bad pattern
     */
    public static PlateFormat named(String nameOrPattern) {
        String p = NAMED.get(nameOrPattern.toLowerCase(Locale.ROOT));
        if (p != null) {
            return new PlateFormat(nameOrPattern.toLowerCase(Locale.ROOT), p);
        }
        if (!nameOrPattern.matches("[A9?]{1,16}")) {
            throw new IllegalArgumentException("unknown plate format '" + nameOrPattern + "'; named ones: "
                    + String.join(", ", new java.util.TreeSet<>(NAMED.keySet())) + ", or a pattern such as AA99AAA");
        }
        return of(nameOrPattern);
    }

    /** @return the format's name (the pattern itself when it has none) */
    public String name() {
        return name;
    }

    /** @return the pattern */
    public String pattern() {
        return pattern;
    }

    /**
     * @param text normalised plate text ({@link PlateText#normalize})
     * @return the text with confusable characters fixed where the format says which kind belongs;
     *         the text unchanged when its length differs from the format's
     */
    public String fix(String text) {
        if (text.length() != pattern.length()) {
            return text;
        }
        char[] out = text.toCharArray();
        for (int i = 0; i < out.length; i++) {
            char kind = pattern.charAt(i);
            if (kind == '9' && !Character.isDigit(out[i])) {
                out[i] = TO_DIGIT.getOrDefault(out[i], out[i]);
            } else if (kind == 'A' && Character.isDigit(out[i])) {
                out[i] = TO_LETTER.getOrDefault(out[i], out[i]);
            }
        }
        return new String(out);
    }

    /**
     * @param text normalised plate text
     * @return true when every character is of the kind its position needs
     */
    public boolean matches(String text) {
        if (text.length() != pattern.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char kind = pattern.charAt(i);
            boolean ok = kind == '?' ? Character.isLetterOrDigit(c)
                    : kind == '9' ? c >= '0' && c <= '9' : c >= 'A' && c <= 'Z';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
