package io.argus.edge.extract;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link ExtractionStorage}: file keys -> present; records every prefix deleted. */
public final class MemoryStorage implements ExtractionStorage {

    public final Map<String, Boolean> files = new ConcurrentHashMap<>();
    public final List<String> deletedPrefixes = new CopyOnWriteArrayList<>();
    public volatile boolean failing;

    public void add(String key) {
        files.put(key, true);
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        if (failing) {
            throw new IOException("disk on fire");
        }
        deletedPrefixes.add(prefix);
        int n = 0;
        for (String k : files.keySet()) {
            if (k.startsWith(prefix + "/")) {
                files.remove(k);
                n++;
            }
        }
        return n;
    }
}
