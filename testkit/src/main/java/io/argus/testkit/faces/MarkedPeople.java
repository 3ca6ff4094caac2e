package io.argus.testkit.faces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The people marked by hand on the face test clips ({@code analyzer/src/test/resources/faces/people.csv}),
 * read by the face verification and face trace evaluations alike.
 */
public final class MarkedPeople {

    /**
     * One marked person on one clip.
     *
     * @param clip the clip's file name
     * @param x    face centre x, frame pixels
     * @param y    face centre y, frame pixels
     * @param id   the person's name in the labels
     */
    public record Person(String clip, double x, double y, String id) {
    }

    private MarkedPeople() {
    }

    /**
     * @param csv the file: a header line, then {@code clip,x,y,person} per line (blank lines skipped)
     * @return the people in file order
     * @throws UncheckedIOException when the file cannot be read
     * @throws NumberFormatException when a coordinate is not a number
     */
    public static List<Person> read(Path csv) {
        try {
            return Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
                String[] f = l.split(",");
                return new Person(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
