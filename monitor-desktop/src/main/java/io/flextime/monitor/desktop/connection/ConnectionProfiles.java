package io.flextime.monitor.desktop.connection;

import java.util.ArrayList;
import java.util.List;

/**
 * Saved connections ({@code profiles.json}, readable by the user only). A password is stored only for a
 * profile saved with "remember password"; otherwise it is stripped before writing.
 */
public class ConnectionProfiles {

    static final String FILE = "profiles.json";

    private final ConfigFiles files;

    public ConnectionProfiles(ConfigFiles files) {
        this.files = files;
    }

    public List<Profile> load() {
        Profile[] stored = this.files.read(FILE, Profile[].class, new Profile[0], ConnectionProfiles::complete);
        return List.of(stored);
    }

    private static boolean complete(Profile[] profiles) {
        for (Profile profile : profiles) {
            if (profile == null || profile.name() == null || profile.settings() == null) {
                return false;
            }
        }
        return true;
    }

    /** Saves (or replaces, by name) a profile. */
    public void save(String name, ConnectionSettings settings, boolean rememberPassword) {
        List<Profile> profiles = new ArrayList<>(load());
        profiles.removeIf(profile -> profile.name().equals(name));
        profiles.add(new Profile(name, rememberPassword ? settings : settings.withoutPassword(), rememberPassword));
        this.files.write(FILE, profiles);
    }

    public void delete(String name) {
        List<Profile> profiles = new ArrayList<>(load());
        profiles.removeIf(profile -> profile.name().equals(name));
        this.files.write(FILE, profiles);
    }

    /** One saved connection. */
    public record Profile(String name, ConnectionSettings settings, boolean rememberPassword) {

        @Override
        public String toString() {
            return this.name;
        }
    }
}
